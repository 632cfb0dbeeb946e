package dev.shout.server.process.supervision;

import static dev.shout.server.process.supervision.SupervisedPool.BOOT_TIMEOUT;
import static dev.shout.server.process.supervision.SupervisedPool.FAILED;
import static dev.shout.server.process.supervision.SupervisedPool.KILLED;
import static dev.shout.server.process.supervision.SupervisedPool.MAX_BOOT_FAILURES;
import static dev.shout.server.process.supervision.SupervisedPool.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shout.server.process.supervision.WorkerHandle.State;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart onto a new build ({@link Trial}), driven through the {@link Supervisor}: the
 * first replacement alone starts from the new build, the rest only once it is ready; one that
 * does not link, for whatever reason, stops the roll with its reason, leaves the old workers
 * serving and starting from the old build, and never counts towards stopping the master.
 */
@Timeout(10)
class TrialTest {

    private final SupervisedPool pool = serving(2);
    private final RecordingTrial trial = new RecordingTrial(pool.launcher());

    @Test
    void theFirstReplacementAloneTriesTheNewBuildAndTheRestStartOnceItPassed() {
        pool.supervisor().rollingRestart(trial);
        assertEquals(List.of("trial launch 1: 1002"), trial.events, "nothing but the trial started");
        assertEquals(List.of("launch 1: 1002"), pool.timeline());
        pool.link(1002);
        assertEquals(List.of("trial launch 1: 1002", "passed 1002"), trial.events);
        assertEquals(List.of("launch 1: 1002", "ready 1002", "retiring 1000", "terminate 1000", "launch 2: 1003"),
                pool.timeline(), "worker-2's replacement came before the trial passed, or from the trial");
        pool.link(1003);
        assertEquals(List.of("trial launch 1: 1002", "passed 1002"), trial.events);
    }

    @Test
    void aTrialWorkerThatExitsBeforeLinkingStopsTheRollWithItsReason() {
        pool.supervisor().rollingRestart(trial);
        pool.exit(1002, FAILED);
        assertEquals(List.of("trial launch 1: 1002", "failed: worker-1 (pid 1002) exited before it linked (exit code 1)"),
                trial.events);
        oldWorkersServeOn();
    }

    @Test
    void aTrialWorkerRefusedForItsProtocolIsKilledAndItsRefusalIsTheReason() {
        pool.supervisor().rollingRestart(trial);
        pool.supervisor().refuse(pool.worker(1002), "(build 9.9) speaks link protocol 4, this master 5");
        assertEquals(1, pool.process(1002).kills());
        pool.exit(1002, KILLED);
        assertEquals("failed: worker-1 (pid 1002) (build 9.9) speaks link protocol 4, this master 5",
                trial.events.get(1));
        oldWorkersServeOn();
    }

    @Test
    void aTrialWorkerThatNeverLinksIsKilledAtTheBootTimeout() {
        pool.supervisor().rollingRestart(trial);
        pool.runFor(BOOT_TIMEOUT.plusMillis(20));
        assertEquals(1, pool.process(1002).kills());
        pool.exit(1002, KILLED);
        assertEquals("failed: worker-1 (pid 1002) did not link within " + BOOT_TIMEOUT.toMillis() + " ms",
                trial.events.get(1));
        oldWorkersServeOn();
    }

    @Test
    void aTrialWorkerThatCannotBeLaunchedStopsTheRoll() {
        pool.launcher().failNextLaunches(1);
        pool.supervisor().rollingRestart(trial);
        assertEquals(List.of("trial launch failed",
                "failed: no worker could be started to replace worker-1 (pid 1000)"), trial.events);
        oldWorkersServeOn();
    }

    /** An incompatible build tried again and again must not stop the master, as boot failures would. */
    @Test
    void failedTrialsNeverStopAServingPool() {
        for (int roll = 1; roll <= MAX_BOOT_FAILURES + 1; roll++) {
            pool.supervisor().rollingRestart(trial);
            pool.exit(pool.launcher().lastPid(), FAILED);
        }
        assertEquals(0, pool.count("cannot boot"));
        assertEquals(List.of(List.of(1000L), List.of(1001L)), List.of(pool.pids(1), pool.pids(2)));
    }

    @Test
    void aCrashDuringTheTrialIsRespawnedFromTheOldBuild() {
        pool.supervisor().rollingRestart(trial);
        pool.exit(1001, KILLED);
        pool.runPastEveryBackoff();
        assertEquals(List.of("trial launch 1: 1002"), trial.events, "worker-2's respawn started from the trial");
        assertEquals(List.of(1003L), pool.pids(2));
    }

    /** After the trial of worker-1's replacement failed: the old workers serve, nothing more is started. */
    private void oldWorkersServeOn() {
        int attempts = pool.launcher().attempts(1) + pool.launcher().attempts(2);
        pool.runPastEveryBackoff();
        assertEquals(List.of(State.READY, State.READY), List.of(pool.worker(1000).state(), pool.worker(1001).state()));
        assertEquals(List.of(0, 0), List.of(pool.process(1000).terminations(), pool.process(1001).terminations()));
        assertEquals(attempts, pool.launcher().attempts(1) + pool.launcher().attempts(2),
                "a worker started after the trial failed");
        assertEquals(0, pool.count("cannot boot"));
        assertEquals(false, pool.supervisor().rolling(), "the roll still under way");
    }

    /** Starts its workers with the pool's fake launcher, and writes what happens to it on {@link #events}. */
    private static final class RecordingTrial implements Trial {
        final List<String> events = new ArrayList<>();
        private final FakeLauncher launcher;

        RecordingTrial(FakeLauncher launcher) {
            this.launcher = launcher;
        }

        @Override
        public ChildProcess launch(int slot) {
            try {
                ChildProcess process = launcher.launch(slot);
                events.add("trial launch " + slot + ": " + process.pid());
                return process;
            } catch (RuntimeException e) {
                events.add("trial launch failed");
                throw e;
            }
        }

        @Override
        public void passed(WorkerHandle worker) {
            events.add("passed " + worker.pid());
        }

        @Override
        public void failed(String why) {
            events.add("failed: " + why);
        }
    }
}
