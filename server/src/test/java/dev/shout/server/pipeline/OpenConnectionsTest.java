package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.E_ACUTE_LEAD;
import static dev.shout.server.pipeline.EmbeddedChannels.connection;
import static dev.shout.server.pipeline.EmbeddedChannels.holdingHalfACharacter;
import static dev.shout.server.pipeline.EmbeddedChannels.sent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.transform.TransformKind;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections are EmbeddedChannels. {@code drain} blocks its caller, yet most tests call it
 * on the test thread: the DrainEvent it fires runs at once, inside {@code drain}, because an
 * EmbeddedChannel's event loop counts every thread as its own (see {@link EmbeddedChannels}).
 * Only one test needs a second thread, to close a connection while {@code drain} waits.
 */
@Timeout(10)
class OpenConnectionsTest {

    /** Well beyond what any test waits for, so that a drain that runs into it fails the test. */
    private static final Duration LONG = Duration.ofMinutes(1);

    private final List<Channel> reportedClosed = new CopyOnWriteArrayList<>();
    private final OpenConnections connections = new OpenConnections(reportedClosed::add);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeEveryChannel() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void countsEveryConnectionAdded() {
        added();
        added();
        assertEquals(2, connections.size());
    }

    @Test
    void aClosedConnectionIsCountedOutAndReported() {
        EmbeddedChannel first = added();
        EmbeddedChannel second = added();
        first.close();
        assertEquals(1, connections.size());
        second.close();
        assertEquals(0, connections.size());
        assertEquals(List.of(first, second), reportedClosed);
    }

    @Test
    void drainReturnsAtOnceWhenNoConnectionIsOpen() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> connections.drain(LONG));
    }

    @Test
    void drainReturnsAsSoonAsTheLastClientLeaves() throws Exception {
        EmbeddedChannel ch = added();
        // The drain thread only waits on the count; this thread alone touches the channel.
        Thread drainer = new Thread(() -> connections.drain(LONG), "drain");
        drainer.setDaemon(true);
        drainer.start();
        while (drainer.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait(); // until drain waits for clients to leave: its only timed wait before the DrainEvent
        }
        ch.close();
        drainer.join(Duration.ofSeconds(5).toMillis());
        assertFalse(drainer.isAlive(), "drain still waiting after the last client left");
    }

    @Test
    void drainClosesAConnectionThatNeverEndsAtTheTimeout() {
        // No handlers: the DrainEvent reaches the tail and the connection carries on regardless.
        EmbeddedChannel ch = added();
        Duration timeout = Duration.ofMillis(500);
        Duration took = timed(() -> connections.drain(timeout));
        assertFalse(ch.isOpen());
        assertEquals(List.of(ch), reportedClosed);
        assertTrue(took.compareTo(timeout) >= 0, "closed before the timeout: " + took);
        assertTrue(took.compareTo(timeout.plusSeconds(2)) < 0, "still draining long after the timeout: " + took);
    }

    @Test
    void drainTellsConnectionsStillOpenToSendWhatTheyOwe() {
        EmbeddedChannel ch = owingOneByte();
        connections.drain(Duration.ofMillis(400));
        assertArrayEquals(new byte[] {E_ACUTE_LEAD}, sent(ch));
        assertFalse(ch.isOpen(), "an EmbeddedChannel cannot shut its output, so the drain closes it");
    }

    @Test
    void clientsGetHalfAShortTimeoutToLeaveBeforeTheyAreToldToFinish() {
        EmbeddedChannel ch = owingOneByte();
        Duration timeout = Duration.ofMillis(400);
        Duration took = timed(() -> connections.drain(timeout));
        assertFalse(ch.isOpen(), "precondition: the DrainEvent ended the connection");
        assertTrue(took.compareTo(timeout.dividedBy(2)) >= 0, "told to finish after only " + took);
        assertArrayEquals(new byte[] {E_ACUTE_LEAD}, sent(ch));
    }

    @Test
    void drainCopesWithTheLongestTimeoutTheConfigurationAccepts() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> connections.drain(Duration.ofDays(1)));
    }

    /** A connection with nothing in its pipeline, counted by {@link #connections}. */
    private EmbeddedChannel added() {
        EmbeddedChannel ch = new EmbeddedChannel();
        channels.add(ch);
        connections.add(ch);
        return ch;
    }

    /** A connection as the server builds it, owing its client the first byte of a character. */
    private EmbeddedChannel owingOneByte() {
        EmbeddedChannel ch = holdingHalfACharacter(connection(TransformKind.UPPER, connections));
        channels.add(ch);
        assertEquals(1, connections.size(), "precondition: counted as open");
        return ch;
    }

    private static Duration timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
