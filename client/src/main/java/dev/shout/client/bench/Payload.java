package dev.shout.client.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * What the connections send: each an endless stream of printable ASCII, a message being the next
 * {@code --size} bytes of it. The stream walks a cycle of {@value #CYCLE} bytes (a prime, so that
 * consecutive messages differ for nearly every size) from a start that depends on the
 * connection, so that a reply sent to the wrong connection or a stale reply fails verification.
 *
 * <p>All connections write slices of one shared direct buffer: a hundred thousand connections
 * need no payload memory of their own, and the native transport writes it without copying.
 */
final class Payload {

    /** Length of the cycle of bytes every stream repeats. */
    static final int CYCLE = 251;
    private static final int PRINTABLE_COUNT = '~' - ' ' + 1;
    /** Coprime with {@link #PRINTABLE_COUNT}, so the cycle takes in every printable character. */
    private static final int STEP = 37;
    /** Coprime with {@link #CYCLE}, so neighbouring connections start far apart. */
    private static final int CONNECTION_SPREAD = 61;

    private final ByteBuf shared;

    /** A payload whose writes are at most {@code longestWrite} bytes. */
    Payload(int longestWrite) {
        // Backed by a JDK buffer so that the garbage collector frees it; slices are never released.
        ByteBuf bytes = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(CYCLE + longestWrite)).clear();
        for (int i = 0; i < CYCLE + longestWrite; i++) {
            bytes.writeByte(byteAt(i % CYCLE));
        }
        shared = Unpooled.unreleasableBuffer(bytes);
    }

    /** The byte at a position of the cycle. */
    static byte byteAt(int position) {
        return (byte) (' ' + position * STEP % PRINTABLE_COUNT);
    }

    /** Where in the cycle the byte at {@code offset} of a connection's stream lies. */
    static int position(int connection, long offset) {
        long start = (long) connection * CONNECTION_SPREAD;
        return (int) ((start + offset) % CYCLE);
    }

    /** The {@code length} bytes of a connection's stream from {@code offset}, ready to write. */
    ByteBuf slice(int connection, long offset, int length) {
        return shared.slice(position(connection, offset), length);
    }
}
