package dev.shout.client.bench;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/** Results made by hand, for testing the reports without running anything. */
final class ResultFixtures {

    private static final long TWO_SECONDS = 2_000_000_000L;

    private ResultFixtures() {
    }

    static BenchConfig config(Workload workload) {
        return new BenchConfig("127.0.0.1", 8080, Duration.ofSeconds(5), workload, 50, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 64, OptionalLong.empty(), ReplyTransform.UPPER, true, false, 2, 256,
                Optional.empty());
    }

    /**
     * 2 s measured, 10,000 replies of 64 bytes, nothing failed. Latencies run evenly from 0.1 to
     * 1.1 us, where the histogram is exact to the nanosecond.
     */
    static Snapshot clean() {
        Histogram latency = new Histogram(3);
        for (int i = 0; i < 10_000; i++) {
            latency.recordValue(100 + i / 10);
        }
        return new Snapshot(TWO_SECONDS, 10_000, 640_000, latency, 50, 0, null, 0, 0, null, 0, null);
    }

    /** Like {@link #clean()} but with a verify failure, a failed connect and a reset. */
    static Snapshot failing() {
        Snapshot clean = clean();
        return new Snapshot(clean.measuredNanos(), clean.replies(), clean.replyBytes(), clean.latency(), 49, 1,
                "connection refused: /127.0.0.1:8080", 1, 0, "connection 3: connection reset by peer", 2,
                new VerifyFailure(4, 130, (byte) 'A', (byte) 'a'));
    }

    static Result result(Workload workload, Snapshot snapshot) {
        return new Result(config(workload), "epoll", Optional.empty(), snapshot, Optional.empty());
    }
}
