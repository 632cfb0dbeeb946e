package dev.shout.server.process;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What a worker tells the master over its link, in fixed five-byte frames: a type byte and a
 * count. The other direction carries only file descriptors (SCM_RIGHTS), and orders to a
 * worker are signals, so the link needs no richer protocol.
 */
record LinkMessage(Type type, int count) {

    static final int FRAME_LENGTH = 5;

    enum Type {
        /** Still alive; {@code count} connections open. Sent twice a second. */
        HEARTBEAT,
        /**
         * {@code count} more descriptors arrived and none of them has been read from: the master
         * may close its copies, and bounds the descriptors in flight with these.
         */
        RECEIVED,
        /** {@code count} more connections ended; their slots are free. */
        RELEASED,
        /** The worker was told to stop and is draining: send it nothing more. */
        DRAINING
    }

    ByteBuf encode(ByteBufAllocator alloc) {
        return alloc.buffer(FRAME_LENGTH).writeByte(type.ordinal()).writeInt(count);
    }

    /** Reads one frame, as split by a {@code FixedLengthFrameDecoder(FRAME_LENGTH)}. */
    static LinkMessage decode(ByteBuf frame) {
        int type = frame.readUnsignedByte();
        if (type >= Type.values().length) {
            throw new IllegalArgumentException("unknown link message type " + type);
        }
        return new LinkMessage(Type.values()[type], frame.readInt());
    }
}
