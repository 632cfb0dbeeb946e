package dev.shout.server.pipeline;

import dev.shout.server.config.DurationConverter;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one event loop that {@code --idle-timeout} watches, least recently active
 * first, and the one timer that closes those idle for that long. Every connection has the same
 * timeout, so moving a connection to the tail when it does something keeps the list in deadline
 * order (a connection moved in from another process is inserted where its idle time puts it): the timer only ever waits for the head's deadline, and a connection costs two links
 * instead of a scheduled task of its own (which also had to be cancelled and rescheduled).
 * Used on its event loop only.
 */
final class IdleConnections {

    private static final Logger log = LoggerFactory.getLogger(IdleConnections.class);

    private final EventExecutor loop;
    private final Ticker ticker;
    private final Duration timeout;
    private final long timeoutNanos;
    private final TimedOutConnections timedOut;
    private ConnectionActivity head;
    private ConnectionActivity tail;
    /** The one timer, set for the head's deadline while there is a head. */
    private ScheduledFuture<?> timer;

    IdleConnections(EventExecutor loop, Duration timeout, TimedOutConnections timedOut) {
        this.loop = loop;
        // The loop's own clock, which tests can stop and move.
        this.ticker = loop instanceof AbstractScheduledEventExecutor scheduled ? scheduled.ticker() : Ticker.systemTicker();
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.timedOut = timedOut;
    }

    /**
     * Starts watching a new connection, idle for {@code alreadyIdle}: zero for one just accepted,
     * what it carried for one moved from another process (issue #11). Those are inserted by their
     * last activity, searching from the tail, where a new connection lands at once; one that
     * becomes the head brings the timer forward.
     */
    void add(ConnectionActivity connection, Duration alreadyIdle) {
        connection.lastActiveNanos = ticker.nanoTime() - alreadyIdle.toNanos();
        ConnectionActivity before = tail;
        while (before != null && before.lastActiveNanos > connection.lastActiveNanos) {
            before = before.previous;
        }
        insertAfter(before, connection);
        if (connection == head && timer != null) {
            timer.cancel(false);
            timer = null;
        }
        setTimer();
    }

    /** Stops watching a connection that moves to another process, and says how long it has been idle. */
    Duration leave(ConnectionActivity connection) {
        if (ReadProgress.pendingBytes(connection.channel()) != connection.owedWhenSeen) {
            touched(connection); // the client took bytes since the last look: active now
        }
        remove(connection);
        return Duration.ofNanos(ticker.nanoTime() - connection.lastActiveNanos);
    }

    /** The connection did something: its idle time starts again. */
    void touched(ConnectionActivity connection) {
        connection.lastActiveNanos = ticker.nanoTime();
        connection.owedWhenSeen = ReadProgress.pendingBytes(connection.channel());
        if (connection.listed && connection != tail) {
            unlink(connection);
            append(connection);
        }
    }

    /** Stops watching a connection; a connection not watched is left alone. */
    void remove(ConnectionActivity connection) {
        if (connection.listed) {
            unlink(connection);
        }
    }

    private void setTimer() {
        if (timer == null && head != null) {
            long wait = head.lastActiveNanos + timeoutNanos - ticker.nanoTime();
            timer = loop.schedule(this::closeIdle, Math.max(0, wait), TimeUnit.NANOSECONDS);
        }
    }

    private void closeIdle() {
        timer = null;
        long now = ticker.nanoTime();
        for (ConnectionActivity oldest = head; oldest != null && now - oldest.lastActiveNanos >= timeoutNanos;
                oldest = head) {
            long owed = ReadProgress.pendingBytes(oldest.channel());
            if (owed != oldest.owedWhenSeen) {
                // The client took some of what it is owed since the last look: it is not idle.
                // Seen only now, so its idle time starts now, never earlier than it should.
                touched(oldest);
                continue;
            }
            unlink(oldest);
            log.debug("{} idle for {}: closing", oldest.channel(), DurationConverter.format(timeout));
            timedOut.closed(TimedOutConnections.Cause.IDLE);
            oldest.channel().pipeline().fireUserEventTriggered(CloseAfterFlushEvent.INSTANCE);
        }
        setTimer();
    }

    private void append(ConnectionActivity connection) {
        insertAfter(tail, connection);
    }

    /** Links {@code connection} in after {@code before}, or as the head when that is null. */
    private void insertAfter(ConnectionActivity before, ConnectionActivity connection) {
        ConnectionActivity after = before == null ? head : before.next;
        connection.listed = true;
        connection.previous = before;
        connection.next = after;
        if (before == null) {
            head = connection;
        } else {
            before.next = connection;
        }
        if (after == null) {
            tail = connection;
        } else {
            after.previous = connection;
        }
    }

    private void unlink(ConnectionActivity connection) {
        if (connection.previous == null) {
            head = connection.next;
        } else {
            connection.previous.next = connection.next;
        }
        if (connection.next == null) {
            tail = connection.previous;
        } else {
            connection.next.previous = connection.previous;
        }
        connection.previous = null;
        connection.next = null;
        connection.listed = false;
    }
}
