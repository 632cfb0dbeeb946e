package dev.shout.server.process.supervision;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What supervision keeps for one slot across its workers: restarts by cause, the crash streak
 * that sets the backoff, and the restart that is due.
 */
final class SlotRecord {

    private final Map<String, Long> restarts = new TreeMap<>();
    private int crashesInARow;
    private RestartCause dueCause;
    private long dueAt;

    void restarted(RestartCause cause) {
        restarts.merge(cause.label(), 1L, Long::sum);
    }

    Map<String, Long> restarts() {
        return Collections.unmodifiableMap(restarts);
    }

    /** The slot's worker served long enough: the next crash waits the first backoff again. */
    void healthy() {
        crashesInARow = 0;
    }

    /**
     * Makes a restart due: at once after a clean exit, else after a backoff that doubles with
     * each failure in a row. Returns the wait in milliseconds.
     */
    long restartLater(RestartCause cause, long now, SupervisionPolicy policy) {
        long delayMillis = 0;
        if (cause != RestartCause.SIGTERM) {
            delayMillis = Math.min(policy.maxBackoff().toMillis(),
                    policy.firstBackoff().toMillis() << Math.min(crashesInARow++, 20));
        }
        dueCause = cause;
        dueAt = now + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        return delayMillis;
    }

    /** The cause of the restart due by {@code now}, taken, or null if none is due. */
    RestartCause takeDueRestart(long now) {
        if (dueCause == null || now - dueAt < 0) {
            return null;
        }
        RestartCause cause = dueCause;
        dueCause = null;
        return cause;
    }
}
