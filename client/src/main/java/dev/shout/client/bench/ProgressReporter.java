package dev.shout.client.bench;

import java.io.PrintWriter;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The once-a-second line on stderr during long runs, so that a stalled server or a run going
 * badly shows before the end. Rates are for the last second, not averages since the start.
 */
final class ProgressReporter {

    private static final double NANOS_PER_SECOND = 1e9;

    private final PrintWriter err;
    private final Stats stats;
    private final long startedAt;
    private long lastAt;
    private long lastReplies;
    private long lastBytes;

    ProgressReporter(PrintWriter err, Stats stats) {
        this.err = err;
        this.stats = stats;
        this.startedAt = System.nanoTime();
        this.lastAt = startedAt;
    }

    /** While the held connections are being opened. */
    void connecting(int target) {
        err.printf(Locale.ROOT, "%s connecting: %,d of %,d open, %,d connect errors%n",
                elapsed(), stats.open(), target, stats.connectErrors());
        err.flush();
    }

    /** While the load runs; {@code phase} says which part of the run it is. */
    void running(String phase) {
        long now = System.nanoTime();
        long replies = stats.replies();
        long bytes = stats.replyBytes();
        double seconds = (now - lastAt) / NANOS_PER_SECOND;
        Histogram latency = stats.latency().interval();
        err.printf(Locale.ROOT, "%s %s: %,d open, %,.0f msg/s, %,.2f MB/s, p99 %s%n",
                elapsed(), phase, stats.open(), (replies - lastReplies) / seconds,
                (bytes - lastBytes) / seconds / 1e6,
                latency.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%,.0f us",
                        latency.getValueAtPercentile(99) / 1000.0));
        err.flush();
        lastAt = now;
        lastReplies = replies;
        lastBytes = bytes;
    }

    private String elapsed() {
        long seconds = Math.round((System.nanoTime() - startedAt) / NANOS_PER_SECOND);
        return String.format(Locale.ROOT, "%s%3ds", BenchRun.PREFIX, seconds);
    }
}
