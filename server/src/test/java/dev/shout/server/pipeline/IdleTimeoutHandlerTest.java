package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.E_ACUTE_LEAD;
import static dev.shout.server.pipeline.EmbeddedChannels.after;
import static dev.shout.server.pipeline.EmbeddedChannels.assertTimesOutAfter;
import static dev.shout.server.pipeline.EmbeddedChannels.holdingHalfACharacter;
import static dev.shout.server.pipeline.EmbeddedChannels.initializer;
import static dev.shout.server.pipeline.EmbeddedChannels.onFrozenClock;
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

    @BeforeEach
    void connect() {
        ch = onFrozenClock(initializer(POLICY, new OpenConnections(), timedOut));
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionQuietForTheIdleTimeoutIsClosedAndCounted() {
        assertTimesOutAfter(ch, POLICY.idleTimeout(), timedOut, TimedOutConnections.Cause.IDLE);
    }

    @Test
    void whatTheClientSendsStartsTheIdleTimeoutAgain() {
        after(ch, 600);
        ch.writeInbound(utf8("hi"));
        assertEquals("HI", sentText(ch));
        after(ch, 600);
        assertTrue(ch.isOpen(), "closed while the client talked");
        after(ch, 400);
        assertFalse(ch.isOpen());
    }

    @Test
    void aConnectionClosedForIdlingIsSentWhatTheTransformHeld() {
        holdingHalfACharacter(ch);
        after(ch, 1000);
        assertArrayEquals(new byte[] {E_ACUTE_LEAD}, sent(ch));
        assertFalse(ch.isOpen());
    }
}
