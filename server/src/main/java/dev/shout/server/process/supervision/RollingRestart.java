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
 * A roll onto a new build ({@link Trial}) tries it on its first replacement alone: only once that
 * one is ready does any other worker start from it.
 */
final class RollingRestart {

    private static final Logger log = LoggerFactory.getLogger(RollingRestart.class);

    /** What the roll asks of the supervisor. */
    interface Pool {
        /** Starts a worker in {@code old}'s slot from the build the pool runs; null if it cannot start. */
        WorkerHandle startReplacement(WorkerHandle old);

        /** Starts a worker in {@code old}'s slot from the build on {@code trial}; null if it cannot start. */
        WorkerHandle startTrial(WorkerHandle old, Trial trial);

        /** Tells {@code old} to drain and exit: its replacement is ready. */
        void retire(WorkerHandle old, WorkerHandle replacement);
    }

    private final Pool pool;
    private final Deque<WorkerHandle> toRoll = new ArrayDeque<>();
    private WorkerHandle old;
    private WorkerHandle replacement;
    /** The new build the roll goes onto, until its first worker is ready; null for a roll within the build. */
    private Trial trial;
    private boolean underWay;

    RollingRestart(Pool pool) {
        this.pool = pool;
    }

    void begin(List<WorkerHandle> ready) {
        begin(ready, null);
    }

    /** A roll onto {@code newBuild}, tried on the first replacement; null to roll within the build. */
    void begin(List<WorkerHandle> ready, Trial newBuild) {
        if (underWay) {
            log.warn("rolling restart already under way");
            return;
        }
        underWay = true;
        trial = newBuild;
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
            if (trial != null) {
                trial.passed(replacement);
                trial = null;
            }
            if (old != null) {
                pool.retire(old, replacement);
            }
            old = null;
            replacement = null;
        }
        for (WorkerHandle next; (next = toRoll.poll()) != null; ) {
            if (next.isReady()) {
                WorkerHandle started = trial == null ? pool.startReplacement(next) : pool.startTrial(next, trial);
                if (started == null) {
                    stop(next, "no worker could be started to replace " + next);
                    return;
                }
                old = next;
                replacement = started;
                return;
            }
        }
        if (trial != null) {
            stop(null, "no worker was ready to be replaced");
        } else if (underWay) {
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

    /** True for the replacement that tries the new build, until it is ready. */
    boolean onTrial(WorkerHandle worker) {
        return trial != null && worker == replacement;
    }

    /**
     * A worker exited ({@code why}, naming it). The old one of the slot being rolled needs no
     * retiring any more; the replacement dying before it was ready stops the roll. True in that
     * last case if the old worker still serves: the slot needs no restart.
     */
    boolean exited(WorkerHandle worker, String why) {
        if (worker == old) {
            old = null;
        }
        if (worker != replacement || worker.wasReady()) {
            return false;
        }
        WorkerHandle keeps = old;
        stop(keeps == null ? worker : keeps, why);
        return keeps != null;
    }

    /** On shutdown: nothing more is rolled, and the workers' exits are no news to the roll. */
    void cancel() {
        toRoll.clear();
        old = null;
        replacement = null;
        trial = null;
        underWay = false;
    }

    /** A new build's trial says so in its own line, which {@code why} is part of. */
    private void stop(WorkerHandle keeps, String why) {
        if (trial != null) {
            trial.failed(why);
        } else {
            log.error("rolling restart stopped: {} keeps serving", keeps);
        }
        trial = null;
        toRoll.clear();
        old = null;
        replacement = null;
        underWay = false;
    }
}
