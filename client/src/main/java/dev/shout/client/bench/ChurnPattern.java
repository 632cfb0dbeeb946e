package dev.shout.client.bench;

import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures what a connection costs: each of {@code --connections} loops connects, sends one
 * message, waits for the whole reply, closes, and starts over at once. A cycle's latency runs
 * from the start of the connect to the end of the close; with TLS it takes in a full handshake.
 */
final class ChurnPattern implements LoadPattern {

    /** How long the cycles under way may take to finish once the run is over. */
    private static final Duration FINISH_LIMIT = Duration.ofSeconds(5);

    private final Network network;
    private final ConnectFailures failures;
    private final Abort abort;
    private final DriverContext context;
    private final int loops;
    private final AtomicInteger nextConnection = new AtomicInteger();
    private final CountDownLatch loopsDone;
    private volatile boolean stopping;

    ChurnPattern(Network network, ConnectFailures failures, Abort abort, BenchConfig config, DriverContext context) {
        this.network = network;
        this.failures = failures;
        this.abort = abort;
        this.context = context;
        this.loops = config.connections();
        this.loopsDone = new CountDownLatch(loops);
    }

    @Override
    public CompletableFuture<Void> start() {
        for (int i = 0; i < loops; i++) {
            network.executor().execute(this::cycle);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        loopsDone.await(FINISH_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cycle() {
        if (stopping || abort.aborted()) {
            loopsDone.countDown();
            return;
        }
        int connection = nextConnection.getAndIncrement();
        Cycle cycle = new Cycle(System.nanoTime());
        SinglePingDriver driver = new SinglePingDriver(context, connection);
        network.connect(connection, driver).addListener(connect -> cycle.connected(driver, connect));
    }

    /** One connect, message, close. */
    private final class Cycle implements SinglePingDriver.Outcome {

        private final long startedAt;
        private boolean answered;

        Cycle(long startedAt) {
            this.startedAt = startedAt;
        }

        void connected(SinglePingDriver driver, Future<?> connect) {
            if (!connect.isSuccess()) {
                failures.record(connect.cause());
                // Not on this thread: a connect that fails at once would recurse.
                network.executor().execute(ChurnPattern.this::cycle);
                return;
            }
            driver.channel().closeFuture().addListener(closed -> {
                if (answered) {
                    context.stats().recordLatency(System.nanoTime() - startedAt);
                }
                cycle();
            });
            driver.ping(this);
        }

        @Override
        public void answered(SinglePingDriver driver, long roundTripNanos) {
            answered = true;
            driver.end();
        }

        @Override
        public void lost() {
            // Counted by the driver as a reset or an early close; the close listener moves on.
        }
    }
}
