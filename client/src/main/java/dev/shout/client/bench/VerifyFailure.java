package dev.shout.client.bench;

/**
 * A reply byte that differs from the reference, located so that it can be looked for in a
 * packet capture or a server log.
 *
 * @param connection the connection's number, counted from 0 in the order connections were opened
 * @param offset     the byte's offset in that connection's reply stream, counted from 0
 */
record VerifyFailure(int connection, long offset, byte expected, byte actual) {

    /** Like {@code connection 3 at byte 17 (expected 'A', got 'a')}. */
    String describe() {
        return "connection " + connection + " at byte " + offset
                + " (expected " + quote(expected) + ", got " + quote(actual) + ")";
    }

    private static String quote(byte b) {
        return b >= ' ' && b <= '~' ? "'" + (char) b + "'" : String.format("0x%02x", b & 0xFF);
    }
}
