package dev.shout.client.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The run's counters, updated from every event loop without locks. Only the first failure of each
 * kind is kept: it is the one worth looking into, and keeping all could fill the heap.
 */
final class Stats {

    private final LongAdder replies = new LongAdder();
    private final LongAdder replyBytes = new LongAdder();
    private final LongAdder established = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder connectErrors = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder closedEarly = new LongAdder();
    private final LongAdder verifyFailures = new LongAdder();
    private final AtomicReference<String> firstConnectError = new AtomicReference<>();
    private final AtomicReference<String> firstLoss = new AtomicReference<>();
    private final AtomicReference<VerifyFailure> firstVerifyFailure = new AtomicReference<>();
    private final LatencyRecorder latency = new LatencyRecorder();

    /** Read and written by the thread that runs the bench only. */
    private long measuringSince = System.nanoTime();
    private long repliesBefore;
    private long replyBytesBefore;

    void connectionOpened() {
        established.increment();
        open.incrementAndGet();
    }

    void connectionClosed() {
        open.decrementAndGet();
    }

    void connectFailed(String reason) {
        connectErrors.increment();
        firstConnectError.compareAndSet(null, reason);
    }

    void received(int bytes) {
        replyBytes.add(bytes);
    }

    void replied() {
        replies.increment();
    }

    void recordLatency(long nanos) {
        latency.record(nanos);
    }

    /** The connection failed with an exception, most often a reset. */
    void lost(int connection, String reason) {
        resets.increment();
        firstLoss.compareAndSet(null, "connection " + connection + ": " + reason);
    }

    /** The server closed the connection before the bench was done with it. */
    void closedEarly(int connection) {
        closedEarly.increment();
        firstLoss.compareAndSet(null, "connection " + connection + " closed by the server");
    }

    void verifyFailed(VerifyFailure failure) {
        verifyFailures.increment();
        firstVerifyFailure.compareAndSet(null, failure);
    }

    int open() {
        return open.get();
    }

    long established() {
        return established.sum();
    }

    long connectErrors() {
        return connectErrors.sum();
    }

    long replies() {
        return replies.sum();
    }

    long replyBytes() {
        return replyBytes.sum();
    }

    LatencyRecorder latency() {
        return latency;
    }

    /** Ends the warm-up: replies, bytes and latencies count from now on. */
    void startMeasuring() {
        measuringSince = System.nanoTime();
        repliesBefore = replies.sum();
        replyBytesBefore = replyBytes.sum();
        latency.startMeasuring();
    }

    Snapshot snapshot() {
        return new Snapshot(
                System.nanoTime() - measuringSince,
                replies.sum() - repliesBefore,
                replyBytes.sum() - replyBytesBefore,
                latency.total(),
                established.sum(),
                connectErrors.sum(),
                firstConnectError.get(),
                resets.sum(),
                closedEarly.sum(),
                firstLoss.get(),
                verifyFailures.sum(),
                firstVerifyFailure.get());
    }
}
