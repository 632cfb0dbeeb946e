package dev.shout.client.bench;

import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The percentiles a report shows, in microseconds: fine enough for loopback round trips, which
 * take tens of them.
 *
 * @param samples how many latencies the figures summarise
 */
record LatencySummary(long samples, double p50, double p90, double p99, double p999, double max) {

    private static final double NANOS_PER_MICRO = 1_000.0;

    /** The summary of latencies recorded in nanoseconds; empty when there are none. */
    static Optional<LatencySummary> of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return Optional.empty();
        }
        return Optional.of(new LatencySummary(
                nanos.getTotalCount(),
                micros(nanos.getValueAtPercentile(50)),
                micros(nanos.getValueAtPercentile(90)),
                micros(nanos.getValueAtPercentile(99)),
                micros(nanos.getValueAtPercentile(99.9)),
                micros(nanos.getMaxValue())));
    }

    private static double micros(long nanos) {
        return nanos / NANOS_PER_MICRO;
    }
}
