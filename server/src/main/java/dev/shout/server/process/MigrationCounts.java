package dev.shout.server.process;

import java.util.Map;

/**
 * Live connections moved on rolling restarts (issue #11), by result, as {@code shout_migrations}
 * exports them: the same in both {@code --accept} modes. Used on the master's event loop only.
 */
final class MigrationCounts {

    private long moved;
    private long stayed;
    private long failed;

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
