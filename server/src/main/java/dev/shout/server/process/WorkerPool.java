package dev.shout.server.process;

import dev.shout.server.config.ServerConfig;
import dev.shout.server.pipeline.AddressLimiter;
import dev.shout.server.process.LinkMessage.ArrivedClosed;
import dev.shout.server.process.LinkMessage.Heartbeat;
import dev.shout.server.process.LinkMessage.Received;
import dev.shout.server.process.LinkMessage.Released;
import dev.shout.server.process.SlotTotals.RestartCause;
import dev.shout.server.process.WorkerProcess.State;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervised pool of worker processes: starts one per slot, replaces any that dies or
 * falls silent (with exponential backoff, so a crash loop cannot spin), rolls them over on
 * request, and stops them all on shutdown. It also chooses the worker for each connection.
 *
 * <p>All of its state is touched only on the master's event loop.
 */
final class WorkerPool {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    /** Workers that exit before they ever linked, in a row, before the master gives up. */
    static final int MAX_BOOT_FAILURES = 3;
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** A worker that served this long before dying counts as healthy: its slot's backoff resets. */
    private static final Duration HEALTHY_UPTIME = Duration.ofSeconds(10);
    private static final long CHECK_MILLIS = 250;
    /** Beyond the shutdown timeout, how long a draining worker may take before it is killed. */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(3);

    /** What the pool tells the master. */
    interface Events {
        /** A worker may have room for connections now. */
        void capacityChanged();

        /** Every slot has had a ready worker for the first time. */
        void allReady();

        /** Workers keep failing before they even link: the master should stop. */
        void cannotBoot();

        /** A link closed with connections the worker never acknowledged: they need another worker. */
        void reclaim(List<EpollSocketChannel> connections);
    }

    private final ServerConfig config;
    private final EventLoop loop;
    private final Events events;
    private final AddressLimiter addressLimiter;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final int[] slotCrashes;
    /** Per slot, index 1 for worker-1: figures that outlive the slot's workers. */
    private final SlotTotals[] totals;
    /** Rolling restart: the new worker of a slot, and the old one it replaces once ready. */
    private final Map<WorkerProcess, WorkerProcess> replacing = new HashMap<>();
    private final Deque<WorkerProcess> toRoll = new ArrayDeque<>();
    private WorkerLauncher launcher;
    private int bootFailuresInARow;
    private int roundRobin;
    private boolean announcedReady;
    private boolean stopping;

    WorkerPool(ServerConfig config, EventLoop loop, AddressLimiter addressLimiter, Events events) {
        this.config = config;
        this.loop = loop;
        this.addressLimiter = addressLimiter;
        this.events = events;
        this.slotCrashes = new int[config.workers() + 1];
        this.totals = new SlotTotals[config.workers() + 1];
        for (int slot = 1; slot <= config.workers(); slot++) {
            totals[slot] = new SlotTotals();
        }
    }

    void start(WorkerLauncher workerLauncher) {
        launcher = workerLauncher;
        for (int slot = 1; slot <= config.workers(); slot++) {
            spawn(slot, null);
        }
        loop.scheduleAtFixedRate(this::checkLiveness, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** True for a worker this master started that has not linked yet: the only peers the control socket takes. */
    boolean awaitsLink(long pid) {
        return find(pid) != null && find(pid).state() == State.STARTING;
    }

    void linked(long pid, Channel link) {
        WorkerProcess worker = find(pid);
        link.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 + LinkMessage.MAX_FRAME_LENGTH, 0, 1, 0, 1),
                new MasterLinkHandler(this, worker));
        worker.linked(link);
        bootFailuresInARow = 0;
        log.info("{} ready in {} ms", worker,
                TimeUnit.NANOSECONDS.toMillis(worker.readyNanos() - worker.startedNanos()));
        WorkerProcess old = replacing.remove(worker);
        if (old != null) {
            retire(old, "replaced by " + worker);
            rollNext();
        }
        if (!announcedReady && readySlots() == config.workers()) {
            announcedReady = true;
            events.allReady();
        }
        events.capacityChanged();
    }

    void report(WorkerProcess worker, LinkMessage message) {
        worker.heard();
        if (message instanceof Heartbeat beat) {
            totals[worker.slot()].add(worker.lastHeartbeat(), beat);
            worker.heartbeat(beat);
        } else if (message instanceof Received) {
            worker.acknowledged(1);
            totals[worker.slot()].opened();
        } else if (message instanceof Released released) {
            worker.released(released.client());
            addressLimiter.release(released.client());
        } else if (message instanceof ArrivedClosed) {
            addressLimiter.release(worker.arrivedClosed());
        } else {
            draining(worker);
        }
    }

    /** A batch of reports was read: acknowledgements and closes may have made room. */
    void reportsRead() {
        events.capacityChanged();
    }

    /** Writing to its link failed: it takes no more connections; its link's closing does the rest. */
    void linkFailed(WorkerProcess worker) {
        if (worker.state() != State.RETIRING) {
            log.warn("{} cannot be written to: sending it no more connections", worker);
            worker.retire(false);
        }
    }

    /** Its link is gone: everything it acknowledged was read before, so the rest is untouched. */
    void linkClosed(WorkerProcess worker) {
        if (worker.state() != State.RETIRING) {
            worker.retire(false);
        }
        events.reclaim(worker.takeUnacknowledged());
    }

    /**
     * Chooses the worker for the next connection: the ready one with the fewest connections and
     * room for one more, ties going round-robin. Null when none has room.
     */
    WorkerProcess pick() {
        WorkerProcess best = leastLoaded();
        if (best != null) {
            roundRobin = (workers.indexOf(best) + 1) % workers.size();
        }
        return best;
    }

    boolean anyHasRoom() {
        return leastLoaded() != null;
    }

    private WorkerProcess leastLoaded() {
        WorkerProcess best = null;
        int n = workers.size();
        for (int i = 0; i < n; i++) {
            WorkerProcess candidate = workers.get((roundRobin + i) % n);
            if (candidate.canTake(config.connectionsPerWorker())
                    && (best == null || candidate.open() < best.open())) {
                best = candidate;
            }
        }
        return best;
    }

    int openConnections() {
        int open = 0;
        for (WorkerProcess worker : workers) {
            open += worker.open();
        }
        return open;
    }

    /** SIGHUP: replace every worker, one at a time, each new one ready before the old one drains. */
    void rollingRestart() {
        if (stopping) {
            return;
        }
        if (!toRoll.isEmpty() || !replacing.isEmpty()) {
            log.warn("rolling restart already under way");
            return;
        }
        workers.stream().filter(w -> w.state() == State.READY).forEach(toRoll::add);
        log.info("rolling restart of {} workers", toRoll.size());
        rollNext();
    }

    /** Asks every worker to drain and exit; completes when all have exited. */
    CompletableFuture<Void> stopAll() {
        stopping = true;
        toRoll.clear();
        List<CompletableFuture<Process>> exits = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            worker.retire(true);
            worker.process().destroy();
            exits.add(worker.process().onExit());
        }
        return CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
    }

    /** Last resort when workers outlive the shutdown timeout. */
    void killAll() {
        workers.forEach(worker -> worker.process().destroyForcibly());
    }

    private void rollNext() {
        WorkerProcess old = toRoll.poll();
        if (old == null) {
            if (replacing.isEmpty()) {
                log.info("rolling restart done");
            }
            return;
        }
        if (old.state() != State.READY) {
            rollNext();
            return;
        }
        WorkerProcess replacement = spawn(old.slot(), RestartCause.ROLLING);
        if (replacement != null) {
            replacing.put(replacement, old);
        }
    }

    /**
     * A worker drains when it gets SIGTERM, from the master or anyone else. It is sent nothing
     * more, and the master shuts its side of the link once the descriptors already written are
     * out: the worker's end of file then tells it that no connection is still on the way.
     */
    private void draining(WorkerProcess worker) {
        boolean toldByMaster = worker.retiredByMaster();
        worker.retire(false);
        worker.link().writeAndFlush(Unpooled.EMPTY_BUFFER)
                .addListener(flushed -> ((DuplexChannel) worker.link()).shutdownOutput());
        if (!workers.contains(worker)) {
            return;
        }
        if (!toldByMaster && !stopping) {
            log.info("{} is draining on its own SIGTERM: starting its replacement", worker);
            worker.retire(true);
            spawn(worker.slot(), RestartCause.SIGTERM);
        }
    }

    private void retire(WorkerProcess worker, String why) {
        log.info("retiring {}: {}", worker, why);
        worker.retire(true);
        worker.process().destroy();
    }

    /** Starts a worker for {@code slot}; {@code cause} is null for the first one. */
    private WorkerProcess spawn(int slot, RestartCause cause) {
        if (cause != null) {
            totals[slot].restarted(cause);
        }
        Process process;
        try {
            process = launcher.launch(slot);
        } catch (RuntimeException e) {
            log.error("cannot start worker-{}: {}", slot, e.getCause() == null ? e : e.getCause());
            bootFailed();
            return null;
        }
        WorkerProcess worker = new WorkerProcess(slot, process);
        workers.add(worker);
        log.info("started {}", worker);
        process.onExit().thenRun(() -> {
            try {
                loop.execute(() -> exited(worker));
            } catch (RejectedExecutionException masterStopping) {
                // The master's loop is gone: it is exiting and needs no news of its workers.
            }
        });
        return worker;
    }

    private void exited(WorkerProcess worker) {
        workers.remove(worker);
        worker.clientsHeld().forEach(addressLimiter::release);
        WorkerProcess replaced = replacing.remove(worker);
        int code = worker.process().exitValue();
        String how = describeExit(code);
        if (stopping || worker.retiredByMaster()) {
            log.info("{} exited ({})", worker, how);
        } else if (code == 0 && worker.wasReady()) {
            log.info("{} exited ({}) on its own SIGTERM: replacing it", worker, how);
            spawn(worker.slot(), RestartCause.SIGTERM);
        } else if (!worker.wasReady()) {
            log.error("{} failed to boot ({})", worker, how);
            bootFailed();
            if (replaced != null) {
                log.error("rolling restart stopped: {} keeps serving", replaced);
                toRoll.clear();
            } else {
                scheduleRespawn(worker.slot(), RestartCause.BOOT_FAILURE);
            }
        } else {
            log.warn("{} died ({}); {} of its connections lost", worker, how, worker.open());
            totals[worker.slot()].lost(worker.open());
            scheduleRespawn(worker.slot(), worker.wasKilledForSilence() ? RestartCause.TIMEOUT : RestartCause.CRASH);
        }
        events.capacityChanged();
    }

    private void bootFailed() {
        if (++bootFailuresInARow >= MAX_BOOT_FAILURES && !stopping) {
            log.error("workers failed to boot {} times in a row: stopping (see their errors above)",
                    bootFailuresInARow);
            stopping = true;
            events.cannotBoot();
        }
    }

    private void scheduleRespawn(int slot, RestartCause cause) {
        if (stopping) {
            return;
        }
        int crashes = slotCrashes[slot]++;
        long delayMillis = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(crashes, 20));
        log.info("restarting worker-{} in {} ms", slot, delayMillis);
        loop.schedule(() -> {
            if (!stopping) {
                spawn(slot, cause);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void checkLiveness() {
        long now = System.nanoTime();
        for (WorkerProcess worker : workers) {
            if (worker.wasReady() && now - worker.readyNanos() > HEALTHY_UPTIME.toNanos()) {
                slotCrashes[worker.slot()] = 0;
            }
            switch (worker.state()) {
                case STARTING -> killIfOverdue(worker, now - worker.startedNanos(), BOOT_TIMEOUT, "did not link");
                case READY -> {
                    if (killIfOverdue(worker, now - worker.lastHeardNanos(), config.workerTimeout(),
                            "sent no heartbeat")) {
                        worker.killedForSilence();
                    }
                }
                // A draining worker has no link left to beat on: it gets its drain time instead.
                case RETIRING -> killIfOverdue(worker, now - worker.retiredNanos(),
                        config.shutdownTimeout().plus(DRAIN_GRACE), "did not finish draining");
            }
        }
    }

    /** Kills the worker, once, when {@code elapsedNanos} is past {@code limit}; true if it did now. */
    private static boolean killIfOverdue(WorkerProcess worker, long elapsedNanos, Duration limit, String what) {
        if (elapsedNanos > limit.toNanos() && !worker.killed()) {
            log.warn("{} {} within {} ms: killing it", worker, what, limit.toMillis());
            worker.kill();
            return true;
        }
        return false;
    }

    /** The workers now running, for the metrics. */
    List<WorkerProcess> workers() {
        return Collections.unmodifiableList(workers);
    }

    SlotTotals totals(int slot) {
        return totals[slot];
    }

    boolean hasReadyWorker() {
        return workers.stream().anyMatch(w -> w.state() == State.READY);
    }

    private int readySlots() {
        return (int) workers.stream().filter(w -> w.state() == State.READY).map(WorkerProcess::slot)
                .distinct().count();
    }

    private WorkerProcess find(long pid) {
        for (WorkerProcess worker : workers) {
            if (worker.pid() == pid) {
                return worker;
            }
        }
        return null;
    }

    /** {@code exit code 3}, or {@code killed by SIGKILL} for the JVM's 128 + signal convention. */
    static String describeExit(int code) {
        if (code > 128 && code < 128 + 32) {
            int signal = code - 128;
            String name = switch (signal) {
                case 9 -> "SIGKILL";
                case 15 -> "SIGTERM";
                case 6 -> "SIGABRT";
                case 11 -> "SIGSEGV";
                case 2 -> "SIGINT";
                case 1 -> "SIGHUP";
                default -> "signal " + signal;
            };
            return "exit code " + code + ", killed by " + name;
        }
        return "exit code " + code;
    }
}
