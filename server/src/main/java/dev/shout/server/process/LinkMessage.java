package dev.shout.server.process;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What a worker tells the master over its link, in small length-prefixed frames: a length
 * byte, a type byte, then the message's fields. The other direction carries only file
 * descriptors (SCM_RIGHTS), and orders to a worker are signals, so the link needs no richer
 * protocol.
 */
sealed interface LinkMessage {

    /** The longest frame, its length byte excluded: a heartbeat. */
    int MAX_FRAME_LENGTH = 1 + Heartbeat.LENGTH;

    /**
     * Still alive, with this worker's figures since it started. Sent twice a second; the
     * master adds the growth of the byte counters to its totals, so they survive the worker.
     */
    record Heartbeat(int open, long received, long sent, long heapUsed) implements LinkMessage {
        static final int LENGTH = 4 + 3 * 8;
    }

    /**
     * One more descriptor arrived and has not been read from: the master may close its copy, and
     * bounds the descriptors in flight with these.
     */
    record Received() implements LinkMessage {
    }

    /**
     * One more descriptor arrived, but its connection was already gone (the client reset it
     * while it waited): the master may close its copy, and the slot is free at once.
     */
    record ArrivedClosed() implements LinkMessage {
    }

    /** A connection from {@code client} ended; its slot is free. */
    record Released(InetAddress client) implements LinkMessage {
    }

    /** The worker was told to stop and is draining: send it nothing more. */
    record Draining() implements LinkMessage {
    }

    default ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf frame = alloc.buffer(1 + MAX_FRAME_LENGTH).writeByte(0);
        if (this instanceof Heartbeat beat) {
            frame.writeByte(0).writeInt(beat.open()).writeLong(beat.received()).writeLong(beat.sent())
                    .writeLong(beat.heapUsed());
        } else if (this instanceof Received) {
            frame.writeByte(1);
        } else if (this instanceof Released released) {
            frame.writeByte(2).writeBytes(released.client().getAddress());
        } else if (this instanceof Draining) {
            frame.writeByte(3);
        } else {
            frame.writeByte(4);
        }
        return frame.setByte(0, frame.readableBytes() - 1);
    }

    /** Reads one frame, its length byte already stripped by a {@code LengthFieldBasedFrameDecoder}. */
    static LinkMessage decode(ByteBuf frame) {
        int type = frame.readUnsignedByte();
        return switch (type) {
            case 0 -> new Heartbeat(frame.readInt(), frame.readLong(), frame.readLong(), frame.readLong());
            case 1 -> new Received();
            case 2 -> new Released(address(frame));
            case 3 -> new Draining();
            case 4 -> new ArrivedClosed();
            default -> throw new IllegalArgumentException("unknown link message type " + type);
        };
    }

    private static InetAddress address(ByteBuf frame) {
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("link message with a " + bytes.length + "-byte address", e);
        }
    }
}
