package dev.shout.client.bench;

/**
 * What every connection's driver shares.
 *
 * @param expected the reference replies, or {@code null} with {@code --no-verify}
 * @param size     the message size in bytes
 */
record DriverContext(Stats stats, Payload payload, ExpectedReply expected, int size) {

    ReplyCheck checkFor(int connection) {
        return expected == null ? ReplyCheck.NONE : new ReplyVerifier(expected, connection, size, stats);
    }
}
