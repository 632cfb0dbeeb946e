package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.after;
import static dev.shout.server.pipeline.EmbeddedChannels.assertTimesOutAfter;
import static dev.shout.server.pipeline.EmbeddedChannels.initializer;
import static dev.shout.server.pipeline.EmbeddedChannels.onFrozenClock;
import static dev.shout.server.pipeline.EmbeddedChannels.stall;
import static dev.shout.server.pipeline.EmbeddedChannels.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.pipeline.EmbeddedChannels.StalledPeer;
import dev.shout.server.transform.TransformKind;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --write-timeout 1s} with {@code --max-pending-bytes 1024}, in the pipeline
 * {@link ShoutChannelInitializer} builds, against a client that stops reading, on a clock the
 * test moves.
 */
@Timeout(10)
class StalledReaderHandlerTest {

    private static final int MAX_PENDING_BYTES = ConnectionPolicy.MIN_PENDING_BYTES;
    private static final ConnectionPolicy POLICY = new ConnectionPolicy(TransformKind.UPPER, Duration.ZERO,
            Duration.ofSeconds(30), MAX_PENDING_BYTES, Duration.ofSeconds(1));

    private final TimedOutConnections timedOut = new TimedOutConnections(POLICY);
    private EmbeddedChannel ch;
    private StalledPeer peer;

    /** Owes a client that reads nothing twice the high water mark. */
    @BeforeEach
    void owe() {
        ch = onFrozenClock(initializer(POLICY, new OpenConnections(), timedOut));
        peer = stall(ch);
        ch.writeInbound(utf8("a".repeat(2 * MAX_PENDING_BYTES)));
        assertFalse(ch.isWritable(), "precondition: owed more than --max-pending-bytes");
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    @Test
    void aClientThatReadsNothingForTheWriteTimeoutIsClosedAndCounted() {
        assertTimesOutAfter(ch, POLICY.writeTimeout(), timedOut, TimedOutConnections.Cause.WRITE);
    }

    @Test
    void aClientThatReadsWhatItIsOwedIsLeftAlone() {
        after(ch, 500);
        peer.resume();
        assertTrue(ch.isWritable());
        after(ch, 2000);
        assertTrue(ch.isOpen());
        assertEquals(0L, timedOut.totals().get("write"));
    }
}
