package dev.shout.client.bench;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Open loop: message {@code k} is due at {@code first + k * interval} whether or not earlier
 * replies are in, and its latency is measured from that due time, not from when it was written.
 * A server that stalls therefore shows the whole stall in every message that waited for it,
 * instead of the bench politely sending less (coordinated omission).
 *
 * <p>Replies come back in order, so the due time of the reply being completed is simply that
 * of message number {@code replies}: nothing needs to be remembered per message. While the
 * connection is not writable, due messages wait and catch up once it is.
 */
final class PacedDriver extends ConnectionDriver {

    private final long intervalNanos;
    private final long firstDelayNanos;
    private long first;
    private long written;
    private long replies;
    private ScheduledFuture<?> timer;

    /**
     * @param firstDelayNanos how long after the start this connection sends its first message, to
     *                        spread the connections' sends evenly over one interval
     */
    PacedDriver(DriverContext context, int connection, long intervalNanos, long firstDelayNanos) {
        super(context, connection);
        this.intervalNanos = intervalNanos;
        this.firstDelayNanos = firstDelayNanos;
    }

    @Override
    protected void begin() {
        first = System.nanoTime() + firstDelayNanos;
        scheduleNext();
    }

    @Override
    protected void replied(long now) {
        context().stats().recordLatency(now - dueTime(replies));
        replies++;
    }

    @Override
    protected void writable() {
        if (timer == null) {
            sendDue();
        }
    }

    @Override
    protected void stopSending() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void sendDue() {
        timer = null;
        if (ending()) {
            return;
        }
        long now = System.nanoTime();
        while (dueTime(written) <= now && channel().isWritable()) {
            write(context().size());
            written++;
        }
        flush();
        if (dueTime(written) > now) {
            scheduleNext();
        }
        // Otherwise the connection is not writable: writable() carries on.
    }

    private void scheduleNext() {
        long delay = dueTime(written) - System.nanoTime();
        timer = channel().eventLoop().schedule(this::sendDue, delay, TimeUnit.NANOSECONDS);
    }

    private long dueTime(long message) {
        return first + message * intervalNanos;
    }
}
