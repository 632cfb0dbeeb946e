package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.E_ACUTE_LEAD;
import static dev.shout.server.pipeline.EmbeddedChannels.after;
import static dev.shout.server.pipeline.EmbeddedChannels.assertTimesOutAfter;
import static dev.shout.server.pipeline.EmbeddedChannels.holdingHalfACharacter;
import static dev.shout.server.pipeline.EmbeddedChannels.initializer;
import static dev.shout.server.pipeline.EmbeddedChannels.onFrozenClock;
import static dev.shout.server.pipeline.EmbeddedChannels.sent;
import static dev.shout.server.pipeline.EmbeddedChannels.sentText;
import static dev.shout.server.pipeline.EmbeddedChannels.stall;
import static dev.shout.server.pipeline.EmbeddedChannels.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * {@code --idle-timeout 1s} in the pipeline {@link ShoutChannelInitializer} builds, on a clock the
 * test moves: {@link ConnectionActivity} stamping what each connection does and
 * {@link IdleConnections}, its event loop's timer.
 */
@Timeout(10)
class IdleConnectionsTest {

    private static final ConnectionPolicy POLICY = new ConnectionPolicy(TransformKind.UPPER, Duration.ofSeconds(1),
            Duration.ofSeconds(30), 65_536, Duration.ofMinutes(1));

    private final TimedOutConnections timedOut = new TimedOutConnections(POLICY);
    private final ShoutChannelInitializer initializer = initializer(POLICY, new OpenConnections(), timedOut);
    private EmbeddedChannel ch;

    @BeforeEach
    void connect() {
        ch = onFrozenClock(initializer);
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
    void connectionsOnOneLoopAreClosedEachAtItsOwnTimeout() {
        EmbeddedChannel second = onTheLoopOf(ch);
        EmbeddedChannel third = onTheLoopOf(ch);
        after(ch, 300);
        third.writeInbound(utf8("hi"));
        assertEquals("HI", sentText(third));
        after(ch, 400);
        second.writeInbound(utf8("yo"));
        assertEquals("YO", sentText(second));
        after(ch, 299);
        assertTrue(ch.isOpen() && second.isOpen() && third.isOpen());
        after(ch, 1);
        assertFalse(ch.isOpen(), "the first, quiet since it connected");
        assertTrue(second.isOpen() && third.isOpen());
        after(ch, 300);
        assertFalse(third.isOpen(), "quiet since 300 ms");
        assertTrue(second.isOpen());
        after(ch, 400);
        assertFalse(second.isOpen(), "quiet since 700 ms");
        assertEquals(3L, timedOut.totals().get(TimedOutConnections.Cause.IDLE.label()));
        second.finishAndReleaseAll();
        third.finishAndReleaseAll();
    }

    @Test
    void aClientTakingWhatItIsOwedIsNotIdle() {
        StalledPeer peer = stall(ch);
        ch.writeInbound(utf8("hi"));
        after(ch, 600);
        peer.resume();
        assertEquals("HI", sentText(ch));
        after(ch, 400);
        assertTrue(ch.isOpen(), "closed although the client took its reply");
        // Seen at the timer's look at 1000 ms, so the connection's idle time starts there.
        after(ch, 999);
        assertTrue(ch.isOpen());
        after(ch, 1);
        assertFalse(ch.isOpen());
    }

    @Test
    void aClientOwedBytesThatTakesNoneIsIdle() {
        stall(ch);
        ch.writeInbound(utf8("hi"));
        after(ch, 1000);
        assertEquals(1L, timedOut.totals().get(TimedOutConnections.Cause.IDLE.label()));
    }

    @Test
    void aConnectionClosedForIdlingIsSentWhatTheTransformHeld() {
        holdingHalfACharacter(ch);
        after(ch, 1000);
        assertArrayEquals(new byte[] {E_ACUTE_LEAD}, sent(ch));
        assertFalse(ch.isOpen());
    }

    @Test
    void aConnectionMovedInIdleTakesItsPlaceByDeadlineAndBringsTheTimerForward() {
        EmbeddedChannel quiet = onTheLoopOf(ch);
        after(ch, 200);
        // Idle for 900 ms where it was served: its time is up at 300 ms, before the others' 1000 ms
        // and before the timer already set for the first of them.
        EmbeddedChannel moved = onTheLoopOf(ch, new ConnectionState(new byte[0], Duration.ofMillis(900)));
        // Idle for 500 ms: up at 700 ms, between the two.
        EmbeddedChannel between = onTheLoopOf(ch, new ConnectionState(new byte[0], Duration.ofMillis(500)));
        after(ch, 99);
        assertTrue(moved.isOpen());
        after(ch, 1);
        assertFalse(moved.isOpen(), "the move made an idle client live longer");
        assertTrue(ch.isOpen() && quiet.isOpen() && between.isOpen());
        after(ch, 400);
        assertFalse(between.isOpen());
        assertTrue(ch.isOpen() && quiet.isOpen());
        after(ch, 300);
        assertFalse(ch.isOpen() || quiet.isOpen());
        assertEquals(4L, timedOut.totals().get(TimedOutConnections.Cause.IDLE.label()));
        quiet.finishAndReleaseAll();
        moved.finishAndReleaseAll();
        between.finishAndReleaseAll();
    }

    /** A second connection with the same pipeline on {@code first}'s event loop, so on its clock and idle timer. */
    private EmbeddedChannel onTheLoopOf(EmbeddedChannel first) {
        return served(EmbeddedChannel.builder().register(false).build(), first);
    }

    /** As {@link #onTheLoopOf(EmbeddedChannel)}, for a connection moved in from another process with {@code state}. */
    private EmbeddedChannel onTheLoopOf(EmbeddedChannel first, ConnectionState state) {
        EmbeddedChannel ch = EmbeddedChannel.builder().register(false).build();
        ConnectionMigration.resume(ch, state);
        return served(ch, first);
    }

    private EmbeddedChannel served(EmbeddedChannel ch, EmbeddedChannel first) {
        first.eventLoop().register(ch).syncUninterruptibly();
        ch.pipeline().addLast(initializer);
        return ch;
    }
}
