package dev.shout.client.bench;

/**
 * Sends one message when told to and reports how that went: answered, with the round trip, or
 * lost. Serves the idle-then-ping round and every churn cycle.
 */
final class SinglePingDriver extends ConnectionDriver {

    /** How the one message went; exactly one of the two is called, on the event loop. */
    interface Outcome {

        void answered(SinglePingDriver driver, long roundTripNanos);

        void lost();
    }

    private Outcome outcome;
    private long sentAt;

    SinglePingDriver(DriverContext context, int connection) {
        super(context, connection);
    }

    /** Sends the message; from any thread. A connection already closed reports a loss. */
    void ping(Outcome pingOutcome) {
        channel().eventLoop().execute(() -> {
            outcome = pingOutcome;
            if (!channel().isActive()) {
                settleLost();
                return;
            }
            sentAt = System.nanoTime();
            write(context().size());
            flush();
        });
    }

    @Override
    protected void begin() {
        // Idle until pinged.
    }

    @Override
    protected void replied(long now) {
        Outcome settled = outcome;
        if (settled != null) {
            outcome = null;
            settled.answered(this, now - sentAt);
        }
    }

    @Override
    protected void closed() {
        settleLost();
    }

    private void settleLost() {
        if (outcome != null) {
            Outcome settled = outcome;
            outcome = null;
            settled.lost();
        }
    }
}
