package dev.shout.server.process;

import java.util.Map;

/**
 * How the master's upgrades in place went (issue #11), as {@code shout_upgrades_total} exports
 * them, so that an operator sees a deploy's fate without reading the logs: a new jar whose trial
 * worker linked, one whose did not, and one refused before any worker tried it, as it is not a
 * jar that can be read. Counted and read on the master's event loop only, where the trial's
 * outcome is told and the metrics endpoint scrapes.
 */
final class Upgrades {

    static final String PASSED = "passed";
    static final String FAILED = "failed";
    static final String REFUSED = "refused";

    private long passed;
    private long failed;
    private long refused;

    /** Its trial worker linked: every worker starts from it now. */
    void passed() {
        passed++;
    }

    /** Its trial worker did not link: the old build serves on. */
    void failed() {
        failed++;
    }

    /** It could not be pinned: no worker tried it. */
    void refused() {
        refused++;
    }

    Map<String, Long> byResult() {
        return Map.of(PASSED, passed, FAILED, failed, REFUSED, refused);
    }
}
