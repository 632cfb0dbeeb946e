package dev.shout.server.pipeline;

import dev.shout.server.transform.StreamTransform;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What one plaintext client connection's pipeline keeps, so that another process can serve it on
 * exactly where this one stopped (issue #11). Everything else is either in the kernel, which
 * travels with the descriptor, or elsewhere by construction: the admission and its client address
 * are the master's ledger's, moved there; a connection moves only with nothing owed left in
 * Netty's queue, so no stalled-reader timer runs; a half-closed one never moves; the byte
 * counters are per process, added up by the master from heartbeats.
 *
 * @param heldBytes what the transform held back: the first bytes of a character not yet whole
 * @param idle how long the connection has been idle, which the next process counts on from
 */
public record ConnectionState(byte[] heldBytes, Duration idle) {

    /** The most bytes a transform holds back: a UTF-8 character less its last byte, with room to spare. */
    public static final int MAX_HELD_BYTES = 16;

    public ConnectionState {
        heldBytes = heldBytes.clone();
        if (heldBytes.length > MAX_HELD_BYTES) {
            throw new IllegalArgumentException(heldBytes.length + " held bytes (expected: <= " + MAX_HELD_BYTES + ")");
        }
        if (idle.isNegative()) {
            throw new IllegalArgumentException("idle for " + idle + " (expected: >= 0)");
        }
    }

    @Override
    public byte[] heldBytes() {
        return heldBytes.clone();
    }

    /**
     * Gives a fresh {@code transform} the bytes the old one held: being the start of an unfinished
     * character, they are held again and nothing comes out.
     */
    StreamTransform restore(StreamTransform transform, ByteBufAllocator alloc) {
        ByteBuf out = transform.apply(Unpooled.wrappedBuffer(heldBytes.clone()), alloc);
        try {
            if (out.isReadable()) {
                throw new IllegalStateException(out.readableBytes() + " bytes out of a transform given only held bytes");
            }
        } finally {
            out.release();
        }
        return transform;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionState state && Arrays.equals(heldBytes, state.heldBytes)
                && idle.equals(state.idle);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(heldBytes) + idle.hashCode();
    }

    @Override
    public String toString() {
        return "ConnectionState[held=" + HexFormat.of().formatHex(heldBytes) + ", idle=" + idle + "]";
    }
}
