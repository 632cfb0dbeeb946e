package dev.shout.server.process.supervision;

import static dev.shout.server.process.supervision.SupervisedPool.BOOT_TIMEOUT;
import static dev.shout.server.process.supervision.SupervisedPool.FAILED;
import static dev.shout.server.process.supervision.SupervisedPool.FIRST_BACKOFF;
import static dev.shout.server.process.supervision.SupervisedPool.KILLED;
import static dev.shout.server.process.supervision.SupervisedPool.MAX_BOOT_FAILURES;
import static dev.shout.server.process.supervision.SupervisedPool.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shout.server.process.supervision.WorkerHandle.State;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of a rolling restart, driven through the {@link Supervisor} that is its pool: one
 * slot at a time, each replacement ready before its old worker is told to drain, and a
 * replacement that cannot boot leaving the old worker serving.
 */
@Timeout(10)
class RollingRestartTest {

    @Test
    void eachOldWorkerDrainsOnlyOnceItsReplacementIsReadyOneSlotAtATime() {
        SupervisedPool pool = rolling(3);
        assertEquals(List.of("launch 1: 1003"), pool.timeline(), "more than one slot rolled at once");
        pool.link(1003);
        pool.link(1004);
        pool.link(1005);
        assertEquals(List.of(
                "launch 1: 1003",
                "ready 1003", "retiring 1000", "terminate 1000", "launch 2: 1004",
                "ready 1004", "retiring 1001", "terminate 1001", "launch 3: 1005",
                "ready 1005", "retiring 1002", "terminate 1002"), pool.timeline());
    }

    @Test
    void theRetiredWorkersExitsStartNothing() {
        SupervisedPool pool = rolled(serving(2));
        pool.exit(1000, 0);
        pool.exit(1001, 0);
        pool.runPastEveryBackoff();
        assertEquals(List.of(1002L), pool.pids(1));
        assertEquals(List.of(1003L), pool.pids(2));
        assertEquals(Map.of("rolling", 1L), pool.supervisor().restarts(1));
    }

    @Test
    void aFinishedRollLeavesRoomForTheNext() {
        SupervisedPool pool = rolled(serving(2));
        pool.clearTimeline();
        pool.supervisor().rollingRestart();
        assertEquals(List.of("launch 1: 1004"), pool.timeline());
    }

    @Test
    void aRollingRestartWhileOneIsUnderWayIsIgnored() {
        SupervisedPool pool = rolling(2);
        pool.supervisor().rollingRestart();
        pool.link(1002);
        pool.supervisor().rollingRestart();
        pool.link(1003);
        assertEquals(List.of(1, 1), List.of(pool.process(1000).terminations(), pool.process(1001).terminations()));
        assertEquals(3, pool.launcher().lastPid() - FakeLauncher.FIRST_PID, "workers started by the roll");
    }

    @Test
    void aReplacementThatExitsBeforeLinkingStopsTheRollAndTheOldWorkerServesOn() {
        SupervisedPool pool = rolling(2);
        pool.exit(1002, FAILED);
        oldWorkersServeOn(pool);
    }

    @Test
    void aReplacementThatCannotBeLaunchedStopsTheRollAndTheOldWorkerServesOn() {
        SupervisedPool pool = serving(2);
        pool.launcher().failNextLaunches(1);
        pool.supervisor().rollingRestart();
        oldWorkersServeOn(pool);
    }

    @Test
    void aReplacementKilledPastBootTimeoutStopsTheRoll() {
        SupervisedPool pool = rolling(2);
        pool.runFor(BOOT_TIMEOUT.plusMillis(10));
        pool.exit(1002, KILLED);
        oldWorkersServeOn(pool);
    }

    @Test
    void aStoppedRollLeavesRoomForTheNext() {
        SupervisedPool pool = rolling(1);
        pool.exit(1001, FAILED);
        pool.supervisor().rollingRestart();
        pool.link(1002);
        assertEquals(1, pool.process(1000).terminations());
    }

    /** A broken build rolled out again and again must not take down the pool that still serves. */
    @Test
    void failedRollsNeverStopAServingPool() {
        SupervisedPool pool = serving(1);
        for (int roll = 1; roll <= MAX_BOOT_FAILURES; roll++) {
            pool.supervisor().rollingRestart();
            pool.exit(pool.launcher().lastPid(), FAILED);
        }
        assertEquals(0, pool.count("cannot boot"));
        assertEquals(List.of(1000L), pool.pids(1));
    }

    @Test
    void anOldWorkerThatDiesDuringItsRollGetsNoExtraRestart() {
        SupervisedPool pool = rolling(2);
        pool.exit(1000, KILLED);
        pool.runPastEveryBackoff();
        assertEquals(List.of(1002L), pool.pids(1), "worker-1 restarted beside its replacement");
        pool.link(1002);
        assertEquals(List.of(1003L), List.of(pool.launcher().lastPid()), "the roll did not go on to worker-2");
    }

    @Test
    void anOldWorkerDrainingOnItsOwnDuringItsRollGetsNoSecondReplacement() {
        SupervisedPool pool = rolling(1);
        pool.supervisor().draining(pool.worker(1000));
        pool.link(1001);
        pool.exit(1000, 0);
        pool.runPastEveryBackoff();
        assertEquals(List.of(1001L), pool.pids(1));
    }

    @Test
    void aSlotWhoseOldWorkerDiedAndWhoseReplacementFailedGetsAWorkerStill() {
        SupervisedPool pool = rolling(1);
        pool.exit(1000, KILLED);
        pool.exit(1001, FAILED);
        pool.runPastEveryBackoff();
        assertEquals(1, pool.pids(1).size(), "worker-1 left without a worker: " + pool.timeline());
    }

    @Test
    void stopAllEndsTheRoll() {
        SupervisedPool pool = rolling(2);
        pool.supervisor().stopAll();
        pool.link(1002);
        pool.runPastEveryBackoff();
        assertEquals(3, pool.launcher().attempts(1) + pool.launcher().attempts(2), "the roll went on after stopAll");
        assertEquals(State.RETIRING, pool.worker(1002).state());
    }

    @Test
    void rollingRestartAfterStopAllDoesNothing() {
        SupervisedPool pool = serving(1);
        pool.supervisor().stopAll();
        pool.clearTimeline();
        pool.supervisor().rollingRestart();
        assertEquals(List.of(), pool.timeline());
    }

    /** A pool of {@code slots} serving, its rolling restart begun: worker-1's replacement is starting. */
    private static SupervisedPool rolling(int slots) {
        SupervisedPool pool = serving(slots);
        pool.supervisor().rollingRestart();
        return pool;
    }

    /** {@code pool}'s workers, each rolled: its old workers told to drain and still running. */
    private static SupervisedPool rolled(SupervisedPool pool) {
        int slots = pool.supervisor().workers().size();
        pool.supervisor().rollingRestart();
        for (int i = 0; i < slots; i++) {
            pool.link(pool.launcher().lastPid());
        }
        return pool;
    }

    /** After a roll stopped at worker-1 of two: both old workers serve, nothing more is started. */
    private static void oldWorkersServeOn(SupervisedPool pool) {
        int attempts = pool.launcher().attempts(1) + pool.launcher().attempts(2);
        pool.runPastEveryBackoff();
        assertEquals(List.of(State.READY, State.READY), List.of(pool.worker(1000).state(), pool.worker(1001).state()));
        assertEquals(List.of(0, 0), List.of(pool.process(1000).terminations(), pool.process(1001).terminations()));
        assertEquals(attempts, pool.launcher().attempts(1) + pool.launcher().attempts(2),
                "a worker started after the roll stopped");
        assertEquals(Map.of("rolling", 1L), pool.supervisor().restarts(1));
        assertEquals(Map.of(), pool.supervisor().restarts(2));
    }
}
