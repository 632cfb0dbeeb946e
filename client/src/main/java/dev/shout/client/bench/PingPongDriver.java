package dev.shout.client.bench;

/** Closed loop: one message, its whole reply, the next message. */
final class PingPongDriver extends ConnectionDriver {

    private long sentAt;

    PingPongDriver(DriverContext context, int connection) {
        super(context, connection);
    }

    @Override
    protected void begin() {
        sendOne();
    }

    @Override
    protected void replied(long now) {
        context().stats().recordLatency(now - sentAt);
        if (!ending()) {
            sendOne();
        }
    }

    private void sendOne() {
        sentAt = System.nanoTime();
        write(context().size());
        flush();
    }
}
