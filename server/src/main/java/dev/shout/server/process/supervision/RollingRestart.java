package dev.shout.server.process.supervision;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order of a rolling restart: one worker at a time, its replacement started first and the
 * old worker retired only once the replacement is ready, so the pool never serves with fewer
 * workers. A replacement that fails to boot stops the roll and the old worker keeps serving.
 */
final class RollingRestart {

    private static final Logger log = LoggerFactory.getLogger(RollingRestart.class);

    /** What the roll asks of the supervisor. */
    interface Pool {
        /** Starts a worker in {@code old}'s slot; null if it cannot start. */
        WorkerHandle startReplacement(WorkerHandle old);

        /** Tells {@code old} to drain and exit: its replacement is ready. */
        void retire(WorkerHandle old, WorkerHandle replacement);
    }

    private final Pool pool;
    private final Deque<WorkerHandle> toRoll = new ArrayDeque<>();
    private WorkerHandle old;
    private WorkerHandle replacement;
    private boolean underWay;

    RollingRestart(Pool pool) {
        this.pool = pool;
    }

    void begin(List<WorkerHandle> ready) {
        if (underWay) {
            log.warn("rolling restart already under way");
            return;
        }
        underWay = true;
        toRoll.addAll(ready);
        log.info("rolling restart of {} workers", toRoll.size());
        advance();
    }

    /** Moves on if the replacement under way is ready; called whenever a worker became ready. */
    void advance() {
        if (replacement != null) {
            if (!replacement.isReady()) {
                return;
            }
            if (old != null) {
                pool.retire(old, replacement);
            }
            old = null;
            replacement = null;
        }
        for (WorkerHandle next; (next = toRoll.poll()) != null; ) {
            if (next.isReady()) {
                WorkerHandle started = pool.startReplacement(next);
                if (started == null) {
                    stop(next);
                    return;
                }
                old = next;
                replacement = started;
                return;
            }
        }
        if (underWay) {
            underWay = false;
            log.info("rolling restart done");
        }
    }

    boolean underWay() {
        return underWay;
    }

    /** True for the old worker of the slot being rolled: its replacement is on its way already. */
    boolean replacing(WorkerHandle worker) {
        return worker == old && replacement != null;
    }

    /**
     * A worker exited. The old one of the slot being rolled needs no retiring any more; the
     * replacement dying before it was ready stops the roll. True in that last case if the old
     * worker still serves: the slot needs no restart.
     */
    boolean exited(WorkerHandle worker) {
        if (worker == old) {
            old = null;
        }
        if (worker != replacement || worker.wasReady()) {
            return false;
        }
        WorkerHandle keeps = old;
        stop(keeps == null ? worker : keeps);
        return keeps != null;
    }

    /** On shutdown: nothing more is rolled, and the workers' exits are no news to the roll. */
    void cancel() {
        toRoll.clear();
        old = null;
        replacement = null;
        underWay = false;
    }

    private void stop(WorkerHandle keeps) {
        log.error("rolling restart stopped: {} keeps serving", keeps);
        toRoll.clear();
        old = null;
        replacement = null;
        underWay = false;
    }
}
