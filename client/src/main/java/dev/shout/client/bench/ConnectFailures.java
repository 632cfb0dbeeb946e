package dev.shout.client.bench;

/**
 * Sorts failed connects: one caused by a limit of this machine aborts the run, since every
 * connect after it would fail the same way; any other (refused, timed out) is counted.
 */
final class ConnectFailures {

    private final Stats stats;
    private final Abort abort;

    ConnectFailures(Stats stats, Abort abort) {
        this.stats = stats;
        this.abort = abort;
    }

    void record(Throwable cause) {
        Limits.reachedBy(cause, stats.open()).ifPresentOrElse(abort::abort,
                () -> stats.connectFailed(Reasons.describe(cause)));
    }
}
