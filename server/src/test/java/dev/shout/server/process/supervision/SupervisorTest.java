package dev.shout.server.process.supervision;

import static dev.shout.server.process.supervision.SupervisedPool.BOOT_TIMEOUT;
import static dev.shout.server.process.supervision.SupervisedPool.DRAIN_TIMEOUT;
import static dev.shout.server.process.supervision.SupervisedPool.FAILED;
import static dev.shout.server.process.supervision.SupervisedPool.FIRST_BACKOFF;
import static dev.shout.server.process.supervision.SupervisedPool.HEALTHY_UPTIME;
import static dev.shout.server.process.supervision.SupervisedPool.KILLED;
import static dev.shout.server.process.supervision.SupervisedPool.MAX_BOOT_FAILURES;
import static dev.shout.server.process.supervision.SupervisedPool.WORKER_TIMEOUT;
import static dev.shout.server.process.supervision.SupervisedPool.policy;
import static dev.shout.server.process.supervision.SupervisedPool.serving;
import static dev.shout.server.process.supervision.SupervisedPool.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.process.supervision.WorkerHandle.State;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The supervisor's reconcile loop over fake processes and a fake clock ({@link SupervisedPool}):
 * every timing is checked to the millisecond, and nothing waits. Rolling restarts are in
 * {@link RollingRestartTest}.
 */
@Timeout(10)
class SupervisorTest {

    private static final Duration A_NANOSECOND = Duration.ofNanos(1);

    // --- start and readiness ----------------------------------------------------------------------

    @Test
    void startLaunchesOneWorkerPerSlotInSlotOrder() {
        SupervisedPool pool = started(3);
        assertEquals(List.of("launch 1: 1000", "launch 2: 1001", "launch 3: 1002"), pool.timeline());
        assertEquals(List.of(State.STARTING, State.STARTING, State.STARTING),
                pool.supervisor().workers().stream().map(WorkerHandle::state).toList());
        assertFalse(pool.supervisor().hasReadyWorker());
    }

    @Test
    void aLinkedWorkerIsReadyAndAnnouncedOnce() {
        SupervisedPool pool = started(2);
        pool.clearTimeline();
        pool.link(1000);
        pool.link(1000);
        assertEquals(List.of("ready 1000"), pool.timeline());
        assertTrue(pool.worker(1000).isReady());
        assertTrue(pool.supervisor().hasReadyWorker());
    }

    @Test
    void allReadyComesOnceWhenEverySlotFirstHasAReadyWorker() {
        SupervisedPool pool = started(2);
        pool.link(1000);
        assertEquals(0, pool.count("all ready"), "one slot of two is ready");
        pool.link(1001);
        assertEquals(List.of("launch 1: 1000", "launch 2: 1001", "ready 1000", "ready 1001", "all ready"),
                pool.timeline());

        pool.exit(1000, KILLED);
        pool.link(pool.restartsAfter(1, FIRST_BACKOFF));
        assertEquals(1, pool.count("all ready"), "every slot ready again is no news");
    }

    @Test
    void startingFindsOnlyAWorkerThatHasNotLinkedYet() {
        SupervisedPool pool = started(2);
        pool.link(1001);
        assertSame(pool.worker(1000), pool.supervisor().starting(1000));
        assertNull(pool.supervisor().starting(1001), "linked already");
        assertNull(pool.supervisor().starting(4711), "not a worker of this supervisor");
    }

    // --- crashes and backoff ----------------------------------------------------------------------

    @Test
    void aCrashedWorkerIsGoneAsCrashedAndRestartedAfterTheFirstBackoff() {
        SupervisedPool pool = serving(1);
        pool.exit(1000, KILLED);
        assertEquals(List.of("crashed 1000"), pool.timeline());
        assertEquals(List.of(), pool.pids(1));

        long restarted = pool.restartsAfter(1, FIRST_BACKOFF);
        assertEquals(List.of(restarted), pool.pids(1));
        assertEquals(Map.of("crash", 1L), pool.supervisor().restarts(1));
    }

    @Test
    void backoffDoublesWithEachCrashInARow() {
        crashesInARowWait(serving(1), 100, 200, 400, 800);
    }

    @Test
    void backoffStopsGrowingAtMaxBackoff() {
        crashesInARowWait(serving(1), 100, 200, 400, 800, 1000, 1000);
    }

    @Test
    void backoffHonoursACustomPolicy() {
        SupervisionPolicy policy = new SupervisionPolicy(1, WORKER_TIMEOUT, DRAIN_TIMEOUT, BOOT_TIMEOUT,
                Duration.ofMillis(30), Duration.ofMillis(100), HEALTHY_UPTIME, MAX_BOOT_FAILURES);
        crashesInARowWait(serving(new SupervisedPool(policy)), 30, 60, 100, 100);
    }

    @Test
    void aWorkerThatRanHealthyUptimeResetsTheBackoff() {
        SupervisedPool pool = serving(1);
        long pid = crashesInARowWait(pool, 100, 200, 400);
        pool.runFor(HEALTHY_UPTIME.plusMillis(10));
        pool.exit(pid, KILLED);
        pool.restartsAfter(1, FIRST_BACKOFF);
    }

    @Test
    void aWorkerThatRanLessThanHealthyUptimeKeepsTheStreak() {
        SupervisedPool pool = serving(1);
        long pid = crashesInARowWait(pool, 100, 200);
        pool.runFor(HEALTHY_UPTIME.minusMillis(10));
        pool.exit(pid, KILLED);
        pool.restartsAfter(1, Duration.ofMillis(400));
    }

    @Test
    void eachSlotHasItsOwnBackoff() {
        SupervisedPool pool = serving(2);
        crashesInARowWait(pool, 100, 200, 400);
        pool.exit(1001, KILLED);
        pool.restartsAfter(2, FIRST_BACKOFF);
        assertEquals(Map.of("crash", 1L), pool.supervisor().restarts(2));
    }

    @Test
    void aCleanExitOfAReadyWorkerIsReplacedAtOnceAsItsOwnSigterm() {
        SupervisedPool pool = serving(1);
        pool.exit(1000, 0);
        assertEquals(List.of("gone 1000", "launch 1: 1001"), pool.timeline());
        assertEquals(Map.of("sigterm", 1L), pool.supervisor().restarts(1));
    }

    @Test
    void timingsHoldWhereTheNanoClockWrapsAround() {
        SupervisedPool pool = serving(new SupervisedPool(policy(1), new FakeClock(Long.MAX_VALUE - 50_000_000L)));
        pool.exit(1000, KILLED);
        long restarted = pool.restartsAfter(1, FIRST_BACKOFF);
        pool.link(restarted);
        pool.after(WORKER_TIMEOUT.plus(A_NANOSECOND));
        assertEquals(1, pool.process(restarted).kills());
    }

    /** A clock may read 0 ({@code System.nanoTime}'s origin is arbitrary): a worker ready then was still ready. */
    @Test
    void aWorkerLinkedWhenTheClockReadsZeroCrashesRatherThanFailsToBoot() {
        SupervisedPool pool = serving(new SupervisedPool(policy(1), new FakeClock(0)));
        pool.exit(1000, KILLED);
        assertEquals(List.of("crashed 1000"), pool.timeline());
        pool.restartsAfter(1, FIRST_BACKOFF);
        assertEquals(Map.of("crash", 1L), pool.supervisor().restarts(1));
    }

    /** Links slot 1's worker, crashes it, and checks each restart's wait; returns the last worker's pid, linked. */
    private long crashesInARowWait(SupervisedPool pool, long... backoffMillis) {
        long pid = pool.pids(1).get(0);
        for (long backoff : backoffMillis) {
            pool.exit(pid, KILLED);
            pid = pool.restartsAfter(1, Duration.ofMillis(backoff));
            pool.link(pid);
        }
        assertEquals(Map.of("crash", (long) backoffMillis.length), pool.supervisor().restarts(1));
        return pid;
    }

    // --- deadlines --------------------------------------------------------------------------------

    @Test
    void aReadyWorkerSilentPastWorkerTimeoutIsKilledOnce() {
        SupervisedPool pool = serving(1);
        FakeChildProcess process = pool.process(1000);
        pool.after(WORKER_TIMEOUT);
        assertEquals(0, process.kills(), "killed at the timeout, not past it");
        pool.after(A_NANOSECOND);
        assertEquals(1, process.kills());
        pool.after(WORKER_TIMEOUT);
        pool.after(WORKER_TIMEOUT);
        assertEquals(List.of("kill 1000"), pool.timeline(), "killed again before it was reaped");
    }

    @Test
    void aWorkerKilledForSilenceIsRestartedAsTimedOut() {
        SupervisedPool pool = serving(1);
        pool.after(WORKER_TIMEOUT.plus(A_NANOSECOND));
        pool.exit(1000, KILLED);
        assertEquals(List.of("kill 1000", "crashed 1000"), pool.timeline());
        pool.restartsAfter(1, FIRST_BACKOFF);
        assertEquals(Map.of("timeout", 1L), pool.supervisor().restarts(1));
    }

    @Test
    void aWorkerHeardFromIsNeverKilled() {
        SupervisedPool pool = serving(1);
        for (int beat = 0; beat < 10; beat++) {
            pool.after(WORKER_TIMEOUT.dividedBy(2));
            pool.supervisor().heard(pool.worker(1000));
        }
        pool.after(WORKER_TIMEOUT);
        assertEquals(0, pool.process(1000).kills());
    }

    @Test
    void aWorkerSilentOnlyWhileTheMasterItselfDidNotRunIsNotKilled() {
        SupervisedPool pool = serving(2);
        pool.after(WORKER_TIMEOUT.minusMillis(1));
        pool.supervisor().forgiveSilence(WORKER_TIMEOUT.minusMillis(1));
        pool.after(WORKER_TIMEOUT);
        assertEquals(List.of(), pool.timeline(), "silent for the worker timeout since the master ran again, not past it");
        pool.after(A_NANOSECOND);
        assertEquals(List.of("kill 1000", "kill 1001"), pool.timeline(), "still silent past it");
    }

    @Test
    void aWorkerNotLinkedPastBootTimeoutIsKilledAndRestartedAsABootFailure() {
        SupervisedPool pool = started(1);
        pool.after(BOOT_TIMEOUT);
        assertEquals(0, pool.process(1000).kills(), "killed at the boot timeout, not past it");
        pool.after(A_NANOSECOND);
        pool.after(BOOT_TIMEOUT);
        assertEquals(1, pool.process(1000).kills());

        pool.exit(1000, KILLED);
        pool.restartsAfter(1, FIRST_BACKOFF);
        assertEquals(Map.of("boot_failure", 1L), pool.supervisor().restarts(1));
    }

    @Test
    void aRetiringWorkerHasItsDrainTimeoutNotTheHeartbeatOne() {
        SupervisedPool pool = serving(1);
        pool.supervisor().linkLost(pool.worker(1000));
        pool.after(DRAIN_TIMEOUT);
        assertEquals(0, pool.process(1000).kills(), "killed within its drain time");
        pool.after(A_NANOSECOND);
        pool.after(DRAIN_TIMEOUT);
        assertEquals(List.of("retiring 1000", "kill 1000"), pool.timeline());
    }

    @Test
    void killAllKillsEveryWorker() {
        SupervisedPool pool = serving(2);
        pool.supervisor().killAll();
        assertEquals(List.of("kill 1000", "kill 1001"), pool.timeline());
    }

    // --- boot failures ----------------------------------------------------------------------------

    @Test
    void workersFailingToBootInARowStopTheMasterOnce() {
        SupervisedPool pool = started(2);
        pool.exit(1000, FAILED);
        pool.exit(1001, FAILED);
        pool.after(FIRST_BACKOFF);
        assertEquals(List.of(1002L), pool.pids(1));
        assertEquals(0, pool.count("cannot boot"), "only " + (MAX_BOOT_FAILURES - 1) + " failures so far");

        pool.exit(1002, FAILED);
        assertEquals(1, pool.count("cannot boot"));
        pool.exit(1003, FAILED);
        pool.runPastEveryBackoff();
        assertEquals(1, pool.count("cannot boot"), "said twice");
        assertEquals(List.of(), pool.supervisor().workers(), "started workers after giving up");
        assertEquals(Map.of("boot_failure", 1L), pool.supervisor().restarts(1));
    }

    @Test
    void aLinkedWorkerEndsTheRunOfBootFailures() {
        SupervisedPool pool = started(2);
        pool.exit(1000, FAILED);
        pool.exit(1001, FAILED);
        pool.after(FIRST_BACKOFF);
        pool.link(1002);
        pool.exit(1003, FAILED);
        assertEquals(0, pool.count("cannot boot"), "the failures before the link still counted");
    }

    @Test
    void aLaunchThatThrowsIsABootFailureRetriedAfterBackoff() {
        SupervisedPool pool = new SupervisedPool(policy(1));
        pool.launcher().failNextLaunches(1);
        pool.supervisor().start();
        assertEquals(List.of(), pool.supervisor().workers());
        long pid = pool.restartsAfter(1, FIRST_BACKOFF);
        pool.link(pid);
        assertEquals(Map.of("boot_failure", 1L), pool.supervisor().restarts(1));
    }

    @Test
    void launchesThatKeepThrowingStopTheMasterOnce() {
        SupervisedPool pool = new SupervisedPool(policy(1));
        pool.launcher().failNextLaunches(MAX_BOOT_FAILURES + 1);
        pool.supervisor().start();
        pool.restartsAfter(1, FIRST_BACKOFF);
        pool.restartsAfter(1, FIRST_BACKOFF.multipliedBy(2));
        assertEquals(1, pool.count("cannot boot"));
        pool.runPastEveryBackoff();
        assertEquals(MAX_BOOT_FAILURES, pool.launcher().attempts(1), "tried again after giving up");
    }

    // --- a worker draining on its own -------------------------------------------------------------

    @Test
    void aWorkerDrainingOnItsOwnSigtermIsReplacedAtOnce() {
        SupervisedPool pool = serving(1);
        pool.supervisor().draining(pool.worker(1000));
        assertEquals(List.of("retiring 1000", "launch 1: 1001"), pool.timeline());
        assertEquals(Map.of("sigterm", 1L), pool.supervisor().restarts(1));
    }

    @Test
    void itsCleanExitAfterwardsStartsNoOther() {
        SupervisedPool pool = serving(1);
        pool.supervisor().draining(pool.worker(1000));
        pool.link(1001);
        pool.exit(1000, 0);
        pool.runPastEveryBackoff();
        assertEquals(List.of(1001L), pool.pids(1));
        assertEquals(Map.of("sigterm", 1L), pool.supervisor().restarts(1));
    }

    @Test
    void aWorkerWhoseLinkFailedIsReplacedOnlyOnceItHasExited() {
        SupervisedPool pool = serving(1);
        pool.supervisor().linkLost(pool.worker(1000));
        pool.runPastEveryBackoff();
        assertEquals(List.of("retiring 1000"), pool.timeline());
        pool.exit(1000, KILLED);
        pool.restartsAfter(1, FIRST_BACKOFF);
    }

    // --- stopping ---------------------------------------------------------------------------------

    @Test
    void stopAllTerminatesEveryWorkerAndCompletesWhenTheLastHasExited() {
        SupervisedPool pool = serving(2);
        CompletableFuture<Void> stopped = pool.supervisor().stopAll();
        assertEquals(List.of("retiring 1000", "terminate 1000", "retiring 1001", "terminate 1001"), pool.timeline());
        pool.exit(1000, 0);
        assertFalse(stopped.isDone(), "done before every worker exited");
        pool.exit(1001, 0);
        assertTrue(stopped.isDone());
    }

    @Test
    void noWorkerIsStartedOnceStopping() {
        SupervisedPool pool = serving(3);
        pool.exit(1000, KILLED);
        pool.supervisor().stopAll();
        pool.exit(1001, KILLED);
        pool.exit(1002, 0);
        pool.runPastEveryBackoff();
        assertEquals(List.of(), pool.supervisor().workers());
        assertEquals(1, pool.launcher().attempts(1), "the crashed worker was restarted after stopping");
    }

    @Test
    void aWorkerDrainingOnItsOwnWhileStoppingIsNotReplaced() {
        SupervisedPool pool = serving(1);
        pool.supervisor().stopAll();
        pool.supervisor().draining(pool.worker(1000));
        pool.exit(1000, 0);
        assertEquals(1, pool.launcher().attempts(1));
    }

    @Test
    void aWorkerStillStartingIsStoppedAndNeverLinked() {
        SupervisedPool pool = started(1);
        pool.supervisor().stopAll();
        pool.link(1000);
        assertEquals(State.RETIRING, pool.worker(1000).state());
        assertEquals(1, pool.process(1000).terminations());
    }
}
