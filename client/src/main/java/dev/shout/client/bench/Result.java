package dev.shout.client.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The figures of a run worked out once, so that the text and the JSON report cannot disagree,
 * and the verdict: what went wrong, if anything, which makes the exit code 1.
 *
 * @param transport   {@code epoll} or {@code nio}
 * @param tlsProvider {@code openssl} or {@code jdk} with TLS, empty without
 * @param abortReason why the run stopped early, if it did
 */
record Result(BenchConfig config, String transport, Optional<String> tlsProvider, Snapshot snapshot,
        Optional<String> abortReason) {

    private static final double NANOS_PER_SECOND = 1e9;
    private static final double BYTES_PER_MEGABYTE = 1e6;

    double measuredSeconds() {
        return snapshot.measuredNanos() / NANOS_PER_SECOND;
    }

    /** Replies (whole messages) a second. */
    double messagesPerSecond() {
        return perSecond(snapshot.replies());
    }

    /** Reply bytes a second, in decimal megabytes. */
    double megabytesPerSecond() {
        return perSecond(snapshot.replyBytes()) / BYTES_PER_MEGABYTE;
    }

    /** Churn's figure: completed cycles a second, with TLS each a full handshake; each records one latency. */
    double connectionsPerSecond() {
        return perSecond(snapshot.latency().getTotalCount());
    }

    /** Empty for the stream pattern, which has no round trips, and when nothing was measured. */
    Optional<LatencySummary> latency() {
        return config.workload() == Workload.STREAM ? Optional.empty() : LatencySummary.of(snapshot.latency());
    }

    /** Idle-then-ping's figure: the connections that were open but did not answer their ping. */
    long unansweredPings() {
        return Math.max(0, snapshot.established() - snapshot.replies());
    }

    long lost() {
        return snapshot.resets() + snapshot.closedEarly();
    }

    /** Each a sentence for stderr; empty when the run went as it should. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        abortReason.ifPresent(problems::add);
        if (snapshot.connectErrors() > 0) {
            problems.add(snapshot.connectErrors() + " connect errors, the first: " + snapshot.firstConnectError());
        }
        if (snapshot.verifyFailures() > 0) {
            problems.add(snapshot.verifyFailures() + " verify failures, the first on "
                    + snapshot.firstVerifyFailure().describe());
        }
        if (lost() > 0) {
            problems.add(lost() + " connections lost (" + snapshot.resets() + " reset or failed, "
                    + snapshot.closedEarly() + " closed early by the server), the first: " + snapshot.firstLoss());
        }
        if (config.workload() == Workload.IDLE_THEN_PING && unansweredPings() > 0) {
            problems.add(unansweredPings() + " of " + snapshot.established() + " pings unanswered");
        }
        if (problems.isEmpty() && snapshot.replies() == 0) {
            problems.add("no replies in the measured time");
        }
        return problems;
    }

    private double perSecond(long count) {
        return snapshot.measuredNanos() == 0 ? 0 : count * NANOS_PER_SECOND / snapshot.measuredNanos();
    }
}
