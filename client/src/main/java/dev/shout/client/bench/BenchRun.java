package dev.shout.client.bench;

import io.netty.handler.ssl.SslContext;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One bench run from start to verdict: checks the limits, drives the pattern through its phases
 * (connect, warm up, measure, end, close), prints the report, and tells the exit code.
 */
final class BenchRun {

    static final String PREFIX = "shout bench: ";
    /** Shorter runs end before a progress line would tell anything. */
    private static final Duration PROGRESS_FROM = Duration.ofSeconds(3);
    /** Opening connections needs no limit of its own: every connect has its timeout. */
    private static final Duration UNTIL_DONE = Duration.ofNanos(Long.MAX_VALUE);
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int EXIT_OK = 0;
    private static final int EXIT_FAILED = 1;

    private final BenchConfig config;
    private final Optional<SslContext> tls;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Stats stats = new Stats();
    private final Abort abort = new Abort();
    private final ProgressReporter progress;
    private final boolean showProgress;

    /** @param tls the TLS context that {@code config} asks for, or empty for plaintext */
    BenchRun(BenchConfig config, Optional<SslContext> tls, PrintWriter out, PrintWriter err) {
        this.config = config;
        this.tls = tls;
        this.out = out;
        this.err = err;
        this.progress = new ProgressReporter(err, stats);
        this.showProgress = config.warmup().plus(config.duration()).compareTo(PROGRESS_FROM) >= 0;
    }

    /** Runs the bench and returns the exit code: 0 when everything was as it should be, else 1. */
    int run() throws InterruptedException {
        InetSocketAddress server;
        try {
            server = new InetSocketAddress(InetAddress.getByName(config.host()), config.port());
        } catch (UnknownHostException e) {
            return fail("unknown host " + config.host());
        }
        SourceAddresses sources = SourceAddresses.forServer(server.getAddress());
        Optional<String> cannotFit = Limits.preflight(config.connections(), sources.spread());
        if (cannotFit.isPresent()) {
            return fail(cannotFit.get());
        }
        Snapshot snapshot;
        String transport;
        Optional<String> tlsProvider;
        try (Network network = Network.open(config, server, sources, tls)) {
            transport = network.transport();
            tlsProvider = network.tlsProvider();
            snapshot = drive(newPattern(network));
        }
        Result result = new Result(config, transport, tlsProvider, snapshot, abort.reason());
        out.print(config.json() ? JsonReport.format(result) : TextReport.format(result));
        out.flush();
        result.problems().forEach(problem -> err.println(PREFIX + problem));
        return result.problems().isEmpty() ? EXIT_OK : EXIT_FAILED;
    }

    private LoadPattern newPattern(Network network) {
        ConnectFailures failures = new ConnectFailures(stats, abort);
        int longestWrite =
                config.workload() == Workload.STREAM ? StreamDriver.writeLength(config.size()) : config.size();
        DriverContext context = new DriverContext(stats, new Payload(longestWrite),
                config.verify() ? new ExpectedReply(config.transform()) : null, config.size());
        return switch (config.workload()) {
            case PINGPONG -> new HeldConnections<>(network, failures, abort, config, config.rate().isPresent()
                    ? connection -> pacedDriver(context, connection)
                    : connection -> new PingPongDriver(context, connection));
            case STREAM -> new HeldConnections<>(network, failures, abort, config,
                    connection -> new StreamDriver(context, connection));
            case IDLE_THEN_PING -> new IdleThenPingPattern(network, failures, abort, config, context);
            case CHURN -> new ChurnPattern(network, failures, abort, config, context);
        };
    }

    /** Each connection sends its share of the rate, the connections' sends evenly staggered. */
    private PacedDriver pacedDriver(DriverContext context, int connection) {
        long interval = TimeUnit.SECONDS.toNanos(config.connections()) / config.rate().getAsLong();
        return new PacedDriver(context, connection, interval, interval * connection / config.connections());
    }

    private Snapshot drive(LoadPattern pattern) throws InterruptedException {
        try {
            CompletableFuture<Void> ready = pattern.start();
            awaitOrAbort(ready, UNTIL_DONE, () -> progress.connecting(config.connections()));
            // Every connect has settled by now, but a connection counts as open only once its
            // handler runs: that no connect succeeded is what the failures say.
            if (stats.connectErrors() >= config.connections() && config.workload() != Workload.CHURN) {
                abort.abort("no connection could be opened to " + config.host() + ":" + config.port());
            }
            boolean idle = config.workload() == Workload.IDLE_THEN_PING;
            if (!idle) {
                awaitOrAbort(new CompletableFuture<>(), config.warmup(), () -> progress.running("warm-up"));
            }
            stats.startMeasuring();
            awaitOrAbort(new CompletableFuture<>(), config.duration(),
                    () -> progress.running(idle ? "holding idle" : "measuring"));
            if (!abort.aborted()) {
                pattern.endMeasurement();
            }
            return stats.snapshot();
        } finally {
            pattern.close();
        }
    }

    /**
     * Waits until {@code until} completes, the time is up or the run is aborted, showing
     * progress once a second on long runs.
     */
    private void awaitOrAbort(CompletableFuture<?> until, Duration limit, Runnable showProgressLine)
            throws InterruptedException {
        CompletableFuture<Object> wake = CompletableFuture.anyOf(until, abort.future());
        long start = System.nanoTime();
        long nextTick = TICK_NANOS;
        for (long elapsed = 0; !wake.isDone() && elapsed < limit.toNanos(); elapsed = System.nanoTime() - start) {
            try {
                wake.get(Math.min(limit.toNanos(), nextTick) - elapsed, TimeUnit.NANOSECONDS);
            } catch (TimeoutException timeToLook) {
                if (System.nanoTime() - start >= nextTick) {
                    nextTick += TICK_NANOS;
                    if (showProgress) {
                        showProgressLine.run();
                    }
                }
            } catch (ExecutionException bug) {
                throw new IllegalStateException("the load could not start", bug.getCause());
            }
        }
    }

    private int fail(String why) {
        err.println(PREFIX + why);
        return EXIT_FAILED;
    }
}
