package dev.shout.client.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The connection-scale benchmark: holds every connection idle for the duration, then sends one
 * message through each at once. The one round's latencies show what so many open connections
 * cost the server, and the count of answers shows whether it kept them all.
 */
final class IdleThenPingPattern implements LoadPattern {

    /** How long the ping round may take before the unanswered pings are given up. */
    static final Duration PING_ROUND_LIMIT = Duration.ofSeconds(30);

    private final HeldConnections<SinglePingDriver> held;
    private final Stats stats;

    IdleThenPingPattern(Network network, ConnectFailures failures, Abort abort, BenchConfig config,
            DriverContext context) {
        this.held = new HeldConnections<>(network, failures, abort, config,
                connection -> new SinglePingDriver(context, connection));
        this.stats = context.stats();
    }

    @Override
    public CompletableFuture<Void> start() {
        return held.start();
    }

    @Override
    public void endMeasurement() throws InterruptedException {
        Collection<SinglePingDriver> drivers = held.drivers();
        CountDownLatch settled = new CountDownLatch(drivers.size());
        SinglePingDriver.Outcome outcome = new SinglePingDriver.Outcome() {
            @Override
            public void answered(SinglePingDriver driver, long roundTripNanos) {
                stats.recordLatency(roundTripNanos);
                settled.countDown();
            }

            @Override
            public void lost() {
                settled.countDown();
            }
        };
        drivers.forEach(driver -> driver.ping(outcome));
        settled.await(PING_ROUND_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        held.close();
    }
}
