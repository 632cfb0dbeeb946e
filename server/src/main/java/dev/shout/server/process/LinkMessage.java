package dev.shout.server.process;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What a worker tells the master over its link, in small length-prefixed frames: a length
 * byte, a type byte, a count, and for a closed connection its client's address (4 or 16
 * bytes). The other direction carries only file descriptors (SCM_RIGHTS), and orders to a
 * worker are signals, so the link needs no richer protocol.
 */
record LinkMessage(Type type, int count, InetAddress address) {

    /** The longest frame, length byte excluded: type, count and an IPv6 address. */
    static final int MAX_FRAME_LENGTH = 1 + 4 + 16;

    enum Type {
        /** Still alive; {@code count} connections open. Sent twice a second. */
        HEARTBEAT,
        /**
         * One more descriptor arrived and has not been read from: the master may close its copy,
         * and bounds the descriptors in flight with these.
         */
        RECEIVED,
        /** A connection from {@code address} ended; its slot is free. */
        RELEASED,
        /** The worker was told to stop and is draining: send it nothing more. */
        DRAINING
    }

    LinkMessage(Type type, int count) {
        this(type, count, null);
    }

    ByteBuf encode(ByteBufAllocator alloc) {
        byte[] addressBytes = address == null ? new byte[0] : address.getAddress();
        return alloc.buffer(1 + 5 + addressBytes.length)
                .writeByte(5 + addressBytes.length)
                .writeByte(type.ordinal())
                .writeInt(count)
                .writeBytes(addressBytes);
    }

    /** Reads one frame, its length byte already stripped by a {@code LengthFieldBasedFrameDecoder}. */
    static LinkMessage decode(ByteBuf frame) {
        int type = frame.readUnsignedByte();
        if (type >= Type.values().length) {
            throw new IllegalArgumentException("unknown link message type " + type);
        }
        int count = frame.readInt();
        InetAddress address = null;
        if (frame.isReadable()) {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            try {
                address = InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("link message with a " + bytes.length + "-byte address", e);
            }
        }
        return new LinkMessage(Type.values()[type], count, address);
    }
}
