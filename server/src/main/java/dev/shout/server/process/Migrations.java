package dev.shout.server.process;

import dev.shout.server.process.supervision.WorkerHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The master's book of live connections moving on rolling restarts (issue #11), the same in both
 * {@code --accept} modes: which retiring worker moves them to which replacement, and how the
 * moves went, as {@code shout_migrations} exports them. Used on the master's event loop only.
 */
final class Migrations {

    /** Retiring workers whose connections move, and the replacement each moves them to. */
    private final Map<WorkerHandle, WorkerHandle> movingTo = new HashMap<>();
    private long moved;
    private long stayed;
    private long failed;

    void route(WorkerHandle old, WorkerHandle replacement) {
        movingTo.put(old, replacement);
    }

    /** Where the connections of {@code old} move; empty if it is not retiring so, or that is gone. */
    Optional<WorkerHandle> replacementOf(WorkerHandle old) {
        return Optional.ofNullable(movingTo.get(old));
    }

    /** {@code worker} exited: nothing moves from or to it any more. */
    void forget(WorkerHandle worker) {
        movingTo.remove(worker);
        movingTo.values().removeIf(worker::equals);
    }

    /** The new worker adopted it. */
    void moved() {
        moved++;
    }

    /** It could not move, and drains in the old worker instead. */
    void stayed() {
        stayed++;
    }

    /** It was lost on its way. */
    void failed() {
        failed++;
    }

    Map<String, Long> byResult() {
        return Map.of("ok", moved, "fallback", stayed, "failed", failed);
    }
}
