package dev.shout.server.process.supervision;

import dev.shout.server.ExitCodes;
import dev.shout.server.process.supervision.WorkerHandle.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one worker process running per slot, as gunicorn's arbiter does: events (a link up, a
 * report, an exit, a signal) only record what happened, and {@link #tick} reconciles the pool
 * with what it should be — kills the workers past a deadline, starts those whose restart is due,
 * and moves a rolling restart on. A slot whose workers keep crashing waits longer each time, so
 * a crash loop cannot spin; workers that keep failing to boot stop the master.
 *
 * <p>It owns the life of workers only; which worker serves what is the dispatcher's. Touched only
 * on the executor it is given (the master's event loop).
 */
public final class Supervisor {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final SupervisionPolicy policy;
    private final RecyclePolicy recycle;
    private final WorkerLauncher launcher;
    private final Clock clock;
    private final Executor loop;
    private final SupervisorEvents events;
    private final List<WorkerHandle> workers = new ArrayList<>();
    private final SlotRecord[] slots;
    private final RollingRestart roll = new RollingRestart(new RollingRestart.Pool() {
        @Override
        public WorkerHandle startReplacement(WorkerHandle old) {
            return spawn(old.slot(), RestartCause.ROLLING, launcher);
        }

        @Override
        public WorkerHandle startTrial(WorkerHandle old, Trial trial) {
            return spawn(old.slot(), RestartCause.ROLLING, trial);
        }

        @Override
        public void retire(WorkerHandle old, WorkerHandle replacement) {
            log.info("retiring {}: replaced by {}", old, replacement);
            Supervisor.this.retire(old, true);
            if (!events.moveConnections(old, replacement)) {
                old.process().terminate();
            }
        }
    });
    private int bootFailuresInARow;
    private boolean announcedReady;
    private boolean stopping;

    /** @param loop where exits are reported; the caller runs every other method there too */
    public Supervisor(SupervisionPolicy policy, WorkerLauncher launcher, Clock clock, Executor loop, SupervisorEvents events) {
        this(policy, RecyclePolicy.NONE, launcher, clock, loop, events);
    }

    /** @param recycle when healthy workers are replaced by fresh ones all the same */
    public Supervisor(SupervisionPolicy policy, RecyclePolicy recycle, WorkerLauncher launcher, Clock clock,
            Executor loop, SupervisorEvents events) {
        this.policy = policy;
        this.recycle = recycle;
        this.launcher = launcher;
        this.clock = clock;
        this.loop = loop;
        this.events = events;
        this.slots = new SlotRecord[policy.slots() + 1];
        for (int slot = 1; slot <= policy.slots(); slot++) {
            slots[slot] = new SlotRecord();
        }
    }

    /** Starts a worker in every slot. */
    public void start() {
        for (int slot = 1; slot <= policy.slots(); slot++) {
            spawn(slot, null, launcher);
        }
    }

    /** The reconcile loop's one turn; the master calls it a few times a second. */
    public void tick() {
        long now = clock.nanoTime();
        killOverdue(now);
        for (int slot = 1; slot <= policy.slots(); slot++) {
            if (servedHealthily(slot, now)) {
                slots[slot].healthy();
            }
            RestartCause due = stopping ? null : slots[slot].takeDueRestart(now);
            if (due != null) {
                spawn(slot, due, launcher);
            }
        }
        recycleOneDue(now);
    }

    /** The master handed {@code worker} a connection: counted towards {@code --worker-max-connections}. */
    public void handed(WorkerHandle worker) {
        worker.handedOne();
        if (recycle.maxConnections() > 0 && worker.handed() >= recycle.maxConnections()) {
            recycleOneDue(clock.nanoTime());
        }
    }

    /**
     * Recycles the first ready worker past a limit of {@link RecyclePolicy}, as a rolling restart
     * of that worker alone; one at a time, and not during a rolling restart.
     */
    private void recycleOneDue(long now) {
        if (stopping || roll.underWay()) {
            return;
        }
        for (WorkerHandle worker : workers) {
            String why = worker.isReady() ? recycle.due(worker, now - worker.readyNanos()) : null;
            if (why != null) {
                log.info("recycling {}: {}", worker, why);
                roll.begin(List.of(worker));
                return;
            }
        }
    }

    /** The worker of {@code pid} if this supervisor started it and it has not linked yet. */
    public WorkerHandle starting(long pid) {
        for (WorkerHandle worker : workers) {
            if (worker.pid() == pid && worker.state() == State.STARTING) {
                return worker;
            }
        }
        return null;
    }

    /** Its link is up and speaks this master's protocol: it is ready. */
    public void linked(WorkerHandle worker) {
        if (worker.state() != State.STARTING) {
            return;
        }
        long now = clock.nanoTime();
        worker.ready(now);
        bootFailuresInARow = 0;
        log.info("{} ready in {} ms", worker, TimeUnit.NANOSECONDS.toMillis(now - worker.startedNanos()));
        events.ready(worker);
        roll.advance();
        if (!announcedReady && readySlots() == policy.slots()) {
            announcedReady = true;
            events.allReady();
        }
    }

    /** Any report from the worker proves it alive. */
    public void heard(WorkerHandle worker) {
        worker.heard(clock.nanoTime());
    }

    /**
     * The master itself did not run for {@code stalled} (see {@link LoopStall}): every ready
     * worker's silence counts from now, as its heartbeats could not be read meanwhile.
     */
    public void forgiveSilence(Duration stalled) {
        log.warn("the master did not run for {} ms (an overloaded machine, or the process was stopped):"
                + " the workers' silence counts from now", stalled.toMillis());
        long now = clock.nanoTime();
        workers.stream().filter(WorkerHandle::isReady).forEach(worker -> worker.heard(now));
    }

    /**
     * The worker says it drains. Told by the master, that was expected; on its own SIGTERM (an
     * operator's kill), it gets a replacement at once.
     */
    public void draining(WorkerHandle worker) {
        boolean toldByMaster = worker.retiredByMaster();
        retire(worker, false);
        if (toldByMaster || stopping || !workers.contains(worker)) {
            return;
        }
        worker.retire(true, clock.nanoTime());
        if (roll.replacing(worker)) {
            log.info("{} is draining on its own SIGTERM: its rolling replacement is on its way", worker);
        } else {
            log.info("{} is draining on its own SIGTERM: starting its replacement", worker);
            spawn(worker.slot(), RestartCause.SIGTERM, launcher);
        }
    }

    /**
     * Its hello named another link protocol ({@code why}): it is killed, as it can serve nothing
     * here. Said in one line, by the trial if it tried a new build.
     */
    public void refuse(WorkerHandle worker, String why) {
        if (!roll.onTrial(worker)) {
            log.error("{} {}: refusing it", worker, why);
        }
        worker.refuse(why);
        worker.kill(false);
    }

    /** Its link closed or failed: it can be sent nothing more; its exit does the rest. */
    public void linkLost(WorkerHandle worker) {
        retire(worker, false);
    }

    /** SIGHUP: replaces every worker, one at a time, each new one ready before the old one drains. */
    public void rollingRestart() {
        rollingRestart(null);
    }

    /**
     * SIGHUP with a new build: as {@link #rollingRestart()}, onto {@code newBuild}, which the
     * first replacement tries alone; null to roll within the build workers run.
     */
    public void rollingRestart(Trial newBuild) {
        if (stopping) {
            return;
        }
        roll.begin(workers.stream().filter(WorkerHandle::isReady).toList(), newBuild);
    }

    /** A rolling restart or a recycle is under way: another would be refused. */
    public boolean rolling() {
        return roll.underWay();
    }

    /** Tells every worker to drain and exit; completes when all have exited. */
    public CompletableFuture<Void> stopAll() {
        stopping = true;
        roll.cancel();
        List<CompletableFuture<Integer>> exits = new ArrayList<>();
        for (WorkerHandle worker : workers) {
            retire(worker, true);
            worker.process().terminate();
            exits.add(worker.process().onExit());
        }
        return CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
    }

    /** Last resort when workers outlive the shutdown timeout. */
    public void killAll() {
        workers.forEach(worker -> worker.kill(false));
    }

    /** The workers now running, of every state. */
    public List<WorkerHandle> workers() {
        return Collections.unmodifiableList(workers);
    }

    /** Restarts of {@code slot} by cause label, since the master started. */
    public Map<String, Long> restarts(int slot) {
        return slots[slot].restarts();
    }

    public boolean hasReadyWorker() {
        return workers.stream().anyMatch(WorkerHandle::isReady);
    }

    private void retire(WorkerHandle worker, boolean byMaster) {
        if (worker.retire(byMaster, clock.nanoTime())) {
            events.retiring(worker);
        }
    }

    /**
     * Starts a worker for {@code slot} with {@code from}: the pool's launcher, or a trial's;
     * {@code cause} is null for the first one. Null if it cannot start.
     */
    private WorkerHandle spawn(int slot, RestartCause cause, WorkerLauncher from) {
        if (cause != null) {
            slots[slot].restarted(cause);
        }
        ChildProcess process;
        try {
            process = from.launch(slot);
        } catch (RuntimeException e) {
            log.error("cannot start worker-{}: {}", slot, e.getCause() == null ? e : e.getCause());
            // A roll that cannot start its replacement stops, and the pool serves on as it was.
            if (cause != RestartCause.ROLLING) {
                bootFailed();
                restartLater(slot, RestartCause.BOOT_FAILURE);
            }
            return null;
        }
        WorkerHandle worker = new WorkerHandle(slot, process, clock.nanoTime());
        workers.add(worker);
        log.info("started {}", worker);
        process.onExit().thenAccept(code -> {
            try {
                loop.execute(() -> exited(worker, code));
            } catch (RejectedExecutionException masterStopping) {
                // The master's loop is gone: it is exiting and needs no news of its workers.
            }
        });
        return worker;
    }

    private void exited(WorkerHandle worker, int code) {
        workers.remove(worker);
        String how = ExitStatus.describe(code);
        boolean crashed = false;
        // The old worker of a slot being rolled needs no restart: its replacement is coming.
        boolean replaced = roll.replacing(worker);
        // A new build's trial that failed says so itself, in one line.
        boolean trialFailed = roll.onTrial(worker);
        boolean rollKeepsOld = roll.exited(worker, whyNotLinked(worker, how));
        if (stopping || worker.retiredByMaster()) {
            log.info("{} exited ({})", worker, how);
        } else if (!worker.wasReady()) {
            if (!trialFailed) {
                log.error("{} failed to boot ({})", worker, how);
            }
            // A failed roll leaves the pool serving as it was: no reason to give up on it.
            if (!rollKeepsOld) {
                bootFailed();
                restartLater(worker.slot(), RestartCause.BOOT_FAILURE);
            }
        } else if (code == ExitCodes.OK) {
            log.info("{} exited ({}) on its own SIGTERM{}", worker, how, replaced ? "" : ": replacing it");
            if (!replaced) {
                restartLater(worker.slot(), RestartCause.SIGTERM);
            }
        } else {
            crashed = true;
            log.warn("{} died ({})", worker, how);
            if (!replaced) {
                restartLater(worker.slot(), worker.killedForSilence() ? RestartCause.TIMEOUT : RestartCause.CRASH);
            }
        }
        events.gone(worker, crashed);
        tick();
    }

    /** Why {@code worker}, which exited {@code how}, never linked; naming it. */
    private String whyNotLinked(WorkerHandle worker, String how) {
        if (worker.refusal() != null) {
            return worker + " " + worker.refusal();
        }
        return worker.killed()
                ? worker + " did not link within " + policy.bootTimeout().toMillis() + " ms"
                : worker + " exited before it linked (" + how + ")";
    }

    /** Schedules the slot's restart: at once after a clean exit, after its backoff after a failure. */
    private void restartLater(int slot, RestartCause cause) {
        if (stopping) {
            return;
        }
        long delayMillis = slots[slot].restartLater(cause, clock.nanoTime(), policy);
        if (cause != RestartCause.SIGTERM) {
            log.info("restarting worker-{} in {} ms", slot, delayMillis);
        }
    }

    private void bootFailed() {
        if (++bootFailuresInARow >= policy.maxBootFailures() && !stopping) {
            log.error("workers failed to boot {} times in a row: stopping (see their errors above)",
                    bootFailuresInARow);
            stopping = true;
            events.cannotBoot();
        }
    }

    private void killOverdue(long now) {
        for (WorkerHandle worker : workers) {
            switch (worker.state()) {
                case STARTING -> killIfOverdue(worker, now - worker.startedNanos(), policy.bootTimeout(),
                        "did not link", false);
                case READY -> killIfOverdue(worker, now - worker.lastHeardNanos(), policy.workerTimeout(),
                        "sent no heartbeat", true);
                // A draining worker has no link left to beat on: it gets its drain time instead.
                case RETIRING -> killIfOverdue(worker, now - worker.retiredNanos(), policy.drainTimeout(),
                        "did not finish draining", false);
            }
        }
    }

    private static void killIfOverdue(WorkerHandle worker, long elapsedNanos, Duration limit, String what,
            boolean forSilence) {
        if (elapsedNanos > limit.toNanos() && !worker.killed()) {
            log.warn("{} {} within {} ms: killing it", worker, what, limit.toMillis());
            worker.kill(forSilence);
        }
    }

    /** True when the slot's worker has served long enough to end its crash streak. */
    private boolean servedHealthily(int slot, long now) {
        return workers.stream().anyMatch(worker -> worker.slot() == slot && worker.isReady()
                && now - worker.readyNanos() > policy.healthyUptime().toNanos());
    }

    private int readySlots() {
        return (int) workers.stream().filter(WorkerHandle::isReady).mapToInt(WorkerHandle::slot).distinct().count();
    }
}
