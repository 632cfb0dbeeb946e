package dev.shout.server.process.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link Supervisor} over fake processes and a fake clock, its executor running every task in
 * place: a worker's exit is handled inside the test's {@code exit} call, and time passes only
 * when a test moves it, so a minute of supervision runs in microseconds. Everything that happens
 * (launches, signals, events) is written in order on {@link #timeline}.
 */
public final class SupervisedPool {

    public static final Duration WORKER_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration BOOT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    public static final Duration HEALTHY_UPTIME = Duration.ofSeconds(10);
    public static final int MAX_BOOT_FAILURES = 3;
    /** How a JVM killed by SIGKILL exits. */
    public static final int KILLED = 137;
    /** A worker that failed on its own, before or after it linked. */
    public static final int FAILED = 1;
    /** An arbitrary reading, not 0: a clock may read anything, and tests that need 0 say so. */
    public static final long CLOCK_START = 123_456_789_000L;

    /** Long enough for any restart due to come, short of the boot timeout: nothing more happening is news. */
    private static final Duration PAST_EVERY_BACKOFF = MAX_BACKOFF.multipliedBy(2);
    /** Ticks as often as a master does, so that a restart comes when it is due. */
    private static final Duration TICK = Duration.ofMillis(10);

    private final List<String> timeline = new ArrayList<>();
    private final FakeClock clock;
    private final FakeLauncher launcher = new FakeLauncher(timeline::add);
    private final Supervisor supervisor;

    public SupervisedPool(SupervisionPolicy policy) {
        this(policy, new FakeClock(CLOCK_START));
    }

    public SupervisedPool(SupervisionPolicy policy, FakeClock clock) {
        this.clock = clock;
        this.supervisor = new Supervisor(policy, launcher, clock, Runnable::run, new RecordingEvents(timeline::add));
    }

    /** The test timings for {@code slots} workers, each distinct so that a test cannot pass on the wrong one. */
    public static SupervisionPolicy policy(int slots) {
        return new SupervisionPolicy(slots, WORKER_TIMEOUT, DRAIN_TIMEOUT, BOOT_TIMEOUT, FIRST_BACKOFF, MAX_BACKOFF,
                HEALTHY_UPTIME, MAX_BOOT_FAILURES);
    }

    /** A pool of {@code slots} started, no worker linked yet: pids 1000 .. 1000 + slots - 1, slot order. */
    public static SupervisedPool started(int slots) {
        SupervisedPool pool = new SupervisedPool(policy(slots));
        pool.supervisor.start();
        return pool;
    }

    /** A pool of {@code slots} started, every worker linked: pids 1000 .. 1000 + slots - 1, slot order. */
    public static SupervisedPool serving(int slots) {
        return serving(new SupervisedPool(policy(slots)));
    }

    /** {@code pool} started, every worker linked, the timeline cleared for what the test does next. */
    public static SupervisedPool serving(SupervisedPool pool) {
        pool.supervisor.start();
        List.copyOf(pool.supervisor.workers()).forEach(pool.supervisor::linked);
        pool.timeline.clear();
        return pool;
    }

    public Supervisor supervisor() {
        return supervisor;
    }

    public FakeLauncher launcher() {
        return launcher;
    }

    /** What happened since the pool was set up (or last cleared), one line per event. */
    public List<String> timeline() {
        return Collections.unmodifiableList(timeline);
    }

    public void clearTimeline() {
        timeline.clear();
    }

    public long count(String event) {
        return timeline.stream().filter(event::equals).count();
    }

    /** The running worker of {@code pid}; fails if the supervisor has none. */
    public WorkerHandle worker(long pid) {
        return supervisor.workers().stream().filter(worker -> worker.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no worker of pid " + pid + " in " + supervisor.workers()));
    }

    /** Pids of the workers the supervisor runs in {@code slot}, oldest first. */
    public List<Long> pids(int slot) {
        return supervisor.workers().stream().filter(worker -> worker.slot() == slot).map(WorkerHandle::pid).toList();
    }

    public FakeChildProcess process(long pid) {
        return launcher.process(pid);
    }

    /** The worker's link is up. */
    public void link(long pid) {
        supervisor.linked(worker(pid));
    }

    public void exit(long pid, int code) {
        launcher.process(pid).exit(code);
    }

    /** Time passes and the supervisor's loop turns once. */
    public void after(Duration duration) {
        clock.advance(duration);
        supervisor.tick();
    }

    /**
     * The pool runs on for {@code duration}, ticking as a master does, every ready worker
     * beating: only restarts due and workers that never link can make anything happen.
     */
    public void runFor(Duration duration) {
        for (Duration left = duration; !left.isNegative() && !left.isZero(); left = left.minus(TICK)) {
            supervisor.workers().stream().filter(WorkerHandle::isReady).forEach(supervisor::heard);
            after(TICK);
        }
    }

    /** Runs long enough for any restart due to have come. */
    public void runPastEveryBackoff() {
        runFor(PAST_EVERY_BACKOFF);
    }

    /**
     * Asserts that {@code slot}'s next launch comes {@code backoff} from now, not a millisecond
     * sooner, and returns the new worker's pid.
     */
    public long restartsAfter(int slot, Duration backoff) {
        int before = launcher.attempts(slot);
        after(backoff.minusMillis(1));
        assertEquals(before, launcher.attempts(slot), "worker-" + slot + " restarted before " + backoff);
        after(Duration.ofMillis(1));
        assertEquals(before + 1, launcher.attempts(slot), "worker-" + slot + " not restarted at " + backoff);
        return launcher.lastPid();
    }
}
