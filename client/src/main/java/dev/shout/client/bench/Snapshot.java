package dev.shout.client.bench;

import org.HdrHistogram.Histogram;

/**
 * The {@link Stats} at the end of the measured time. Replies, bytes and latencies count from the
 * end of the warm-up; connection counts and failures count over the whole run, since a failure
 * during the warm-up is a failure all the same.
 *
 * @param measuredNanos       how long the figures were gathered
 * @param firstConnectError   why the first failed connect failed, or {@code null}
 * @param firstLoss           which connection was lost first and how, or {@code null}
 * @param firstVerifyFailure  the first wrong reply byte, or {@code null}
 */
record Snapshot(
        long measuredNanos,
        long replies,
        long replyBytes,
        Histogram latency,
        long established,
        long connectErrors,
        String firstConnectError,
        long resets,
        long closedEarly,
        String firstLoss,
        long verifyFailures,
        VerifyFailure firstVerifyFailure) {
}
