package dev.shout.client.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies in nanoseconds, recorded wait-free from every event loop and read once a second for
 * the progress line. What is read before {@link #startMeasuring} is the warm-up and is dropped;
 * everything after adds up to the run's total.
 */
final class LatencyRecorder {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
    private Histogram interval;
    private boolean measuring;

    /** From any thread. */
    void record(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    /** The latencies recorded since the previous call, which also go into the total once measuring. */
    synchronized Histogram interval() {
        interval = recorder.getIntervalHistogram(interval);
        if (measuring) {
            total.add(interval);
        }
        return interval;
    }

    /** Drops what was recorded so far: the total starts now. */
    synchronized void startMeasuring() {
        interval();
        total.reset();
        measuring = true;
    }

    /** Everything recorded since {@link #startMeasuring}, up to now. */
    synchronized Histogram total() {
        interval();
        return total.copy();
    }
}
