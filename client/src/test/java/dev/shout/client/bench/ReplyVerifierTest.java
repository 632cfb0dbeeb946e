package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReplyVerifierTest {

    private static final int CONNECTION = 7;
    private static final int SIZE = 64;
    /** Not printable, so never what the server should send. */
    private static final byte WRONG = 0;

    private final Stats stats = new Stats();
    private final ReplyVerifier verifier =
            new ReplyVerifier(new ExpectedReply(ReplyTransform.UPPER), CONNECTION, SIZE, stats);

    @Test
    void correctRepliesPassHoweverTheStreamIsSplit() {
        byte[] reply = correctReply(10_000);
        int[] cuts = {0, 1, 2, 63, 64, 65, 4095, 4096, 4097, 9000, 10_000};
        for (int i = 1; i < cuts.length; i++) {
            check(reply, cuts[i - 1], cuts[i]);
        }
        assertEquals(0, stats.snapshot().verifyFailures());
        assertNull(stats.snapshot().firstVerifyFailure());
    }

    @Test
    void aWrongByteIsLocatedByConnectionAndOffset() {
        byte[] reply = correctReply(10_000);
        reply[5000] = WRONG;
        check(reply, 0, 4000);
        check(reply, 4000, 10_000);
        assertEquals(1, stats.snapshot().verifyFailures());
        VerifyFailure failure = stats.snapshot().firstVerifyFailure();
        assertEquals(CONNECTION, failure.connection());
        assertEquals(5000, failure.offset());
        assertEquals(WRONG, failure.actual());
    }

    @Test
    void severalWrongBytesInOneMessageAreOneFailure() {
        byte[] reply = correctReply(SIZE * 3);
        reply[SIZE] = WRONG;
        reply[SIZE + 10] = WRONG;
        check(reply, 0, reply.length);
        assertEquals(1, stats.snapshot().verifyFailures());
    }

    @Test
    void wrongBytesInDifferentMessagesAreSeparateFailures() {
        byte[] reply = correctReply(SIZE * 3);
        reply[0] = WRONG;
        reply[SIZE * 2 + 1] = WRONG;
        check(reply, 0, reply.length);
        assertEquals(2, stats.snapshot().verifyFailures());
        assertEquals(0, stats.snapshot().firstVerifyFailure().offset());
    }

    @Test
    void anotherConnectionsReplyFails() {
        byte[] otherConnections = reply(CONNECTION + 1, SIZE);
        check(otherConnections, 0, SIZE);
        assertEquals(1, stats.snapshot().verifyFailures());
    }

    @Test
    void failureDescriptionQuotesTheBytes() {
        assertEquals("connection 3 at byte 17 (expected 'A', got 'a')",
                new VerifyFailure(3, 17, (byte) 'A', (byte) 'a').describe());
        assertEquals("connection 0 at byte 0 (expected 'A', got 0x0a)",
                new VerifyFailure(0, 0, (byte) 'A', (byte) '\n').describe());
    }

    private void check(byte[] reply, int from, int to) {
        ByteBuf part = Unpooled.wrappedBuffer(reply, from, to - from);
        verifier.check(part, from);
        assertEquals(to - from, part.readableBytes(), "the check leaves the buffer as it was");
    }

    private static byte[] correctReply(int length) {
        return reply(CONNECTION, length);
    }

    /** What an uppercasing server sends back to a connection, built from the payload. */
    private static byte[] reply(int connection, int length) {
        byte[] bytes = ByteBufUtil.getBytes(new Payload(length).slice(connection, 0, length));
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = ReplyTransform.UPPER.reply(bytes[i]);
        }
        return bytes;
    }
}
