package dev.shout.client.bench;

import io.netty.buffer.ByteBuf;

/**
 * Compares one connection's reply stream with the {@link ExpectedReply}, wherever TCP happens to
 * split it. A message with wrong bytes counts as one failure however many bytes are wrong, so
 * that the count says how many replies could not be trusted.
 */
final class ReplyVerifier implements ReplyCheck {

    private final ExpectedReply expected;
    private final int connection;
    private final int messageSize;
    private final Stats stats;
    private long lastFailedMessage = -1;

    ReplyVerifier(ExpectedReply expected, int connection, int messageSize, Stats stats) {
        this.expected = expected;
        this.connection = connection;
        this.messageSize = messageSize;
        this.stats = stats;
    }

    @Override
    public void check(ByteBuf reply, long offset) {
        int end = reply.writerIndex();
        long runOffset = offset;
        for (int index = reply.readerIndex(); index < end; index += ExpectedReply.RUN) {
            int length = Math.min(ExpectedReply.RUN, end - index);
            int position = Payload.position(connection, runOffset);
            if (!expected.matches(reply, index, position, length)) {
                findFailures(reply, index, length, runOffset);
            }
            runOffset += length;
        }
    }

    private void findFailures(ByteBuf reply, int index, int length, long offset) {
        for (int i = 0; i < length; i++) {
            long byteOffset = offset + i;
            byte actual = reply.getByte(index + i);
            byte wanted = expected.at(Payload.position(connection, byteOffset));
            long message = byteOffset / messageSize;
            if (actual != wanted && message != lastFailedMessage) {
                lastFailedMessage = message;
                stats.verifyFailed(new VerifyFailure(connection, byteOffset, wanted, actual));
            }
        }
    }
}
