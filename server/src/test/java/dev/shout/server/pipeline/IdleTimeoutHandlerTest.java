package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.E_ACUTE_LEAD;
import static dev.shout.server.pipeline.EmbeddedChannels.holdingHalfACharacter;
import static dev.shout.server.pipeline.EmbeddedChannels.sent;
import static dev.shout.server.pipeline.EmbeddedChannels.sentText;
import static dev.shout.server.pipeline.EmbeddedChannels.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.transform.TransformKind;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --idle-timeout 1s} in the pipeline {@link ShoutChannelInitializer} builds, on a clock the test moves. */
@Timeout(10)
class IdleTimeoutHandlerTest {

    private static final ConnectionPolicy POLICY = new ConnectionPolicy(TransformKind.UPPER, Duration.ofSeconds(1),
            Duration.ofSeconds(30), 65_536, Duration.ofMinutes(1));

    private final TimedOutConnections timedOut = new TimedOutConnections(POLICY);
    private EmbeddedChannel ch;

    /** The clock stops before the handler reads it, so that the test alone moves it. */
    @BeforeEach
    void connect() {
        ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(EmbeddedChannels.initializer(POLICY, new OpenConnections(), timedOut));
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionQuietForTheIdleTimeoutIsClosedAndCounted() {
        after(999);
        assertTrue(ch.isOpen(), "closed before the idle timeout");
        assertEquals(0L, timedOut.totals().get("idle"));
        after(1);
        assertFalse(ch.isOpen());
        assertEquals(Map.of("idle", 1L, "half_closed", 0L, "write", 0L), timedOut.totals());
    }

    @Test
    void whatTheClientSendsStartsTheIdleTimeoutAgain() {
        after(600);
        ch.writeInbound(utf8("hi"));
        assertEquals("HI", sentText(ch));
        after(600);
        assertTrue(ch.isOpen(), "closed while the client talked");
        after(400);
        assertFalse(ch.isOpen());
    }

    @Test
    void aConnectionClosedForIdlingIsSentWhatTheTransformHeld() {
        holdingHalfACharacter(ch);
        after(1000);
        assertArrayEquals(new byte[] {E_ACUTE_LEAD}, sent(ch));
        assertFalse(ch.isOpen());
    }

    private void after(long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runPendingTasks();
    }
}
