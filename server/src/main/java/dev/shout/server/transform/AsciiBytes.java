package dev.shout.server.transform;

import io.netty.buffer.ByteBuf;

/**
 * ASCII uppercasing eight bytes at a time (SWAR). Both uppercasing transforms spend most of
 * their time here, so it works in place on Netty buffers and never decodes.
 */
final class AsciiBytes {

    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;
    /** Added to a 7-bit byte, sets its high bit exactly when the byte is >= 'a'. */
    private static final long FROM_A = 0x1F1F1F1F1F1F1F1FL;
    /** Added to a 7-bit byte, sets its high bit exactly when the byte is > 'z'. */
    private static final long PAST_Z = 0x0505050505050505L;

    private AsciiBytes() {
    }

    /** True when every byte of the word is below 0x80. */
    static boolean isAscii(long word) {
        return (word & HIGH_BITS) == 0;
    }

    /** Uppercases a–z in each byte of the word; every other byte, including 0x80–0xFF, is kept. */
    static long upper(long word) {
        long low = word & LOW_SEVEN_BITS;
        long lowercase = (low + FROM_A) & ~(low + PAST_Z) & ~word & HIGH_BITS;
        return word ^ (lowercase >>> 2);
    }

    static byte upper(byte b) {
        return b >= 'a' && b <= 'z' ? (byte) (b - ('a' - 'A')) : b;
    }

    /**
     * Uppercases a–z in place from {@code from} until the end of the readable bytes or, when
     * {@code stopAtNonAscii}, until the first byte >= 0x80.
     *
     * @return the index of the first byte not processed (the writer index when all were)
     */
    static int upperInPlace(ByteBuf buf, int from, boolean stopAtNonAscii) {
        int end = buf.writerIndex();
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = buf.getLong(i);
            if (stopAtNonAscii && !isAscii(word)) {
                break;
            }
            long upper = upper(word);
            if (upper != word) {
                buf.setLong(i, upper);
            }
        }
        for (; i < end; i++) {
            byte b = buf.getByte(i);
            if (stopAtNonAscii && b < 0) {
                return i;
            }
            buf.setByte(i, upper(b));
        }
        return i;
    }
}
