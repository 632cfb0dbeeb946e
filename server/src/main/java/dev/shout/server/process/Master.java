package dev.shout.server.process;

import dev.shout.server.ExitCodes;
import dev.shout.server.ShutdownSignals;
import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.config.AcceptMode;
import dev.shout.server.config.DurationConverter;
import dev.shout.server.config.ServerConfig;
import dev.shout.server.metrics.Observability;
import dev.shout.server.process.link.LinkMessage.Configure;
import dev.shout.server.process.link.LinkMessage.MigrateConnections;
import dev.shout.server.process.link.LinkMessage.ReloadCertificates;
import dev.shout.server.process.supervision.Clock;
import dev.shout.server.process.supervision.LoopStall;
import dev.shout.server.process.supervision.RecyclePolicy;
import dev.shout.server.process.supervision.SupervisionPolicy;
import dev.shout.server.process.supervision.Supervisor;
import dev.shout.server.process.supervision.SupervisorEvents;
import dev.shout.server.process.supervision.WorkerHandle;
import dev.shout.server.transport.HandOffServerChannel;
import dev.shout.server.transport.ServiceSocket;
import dev.shout.server.tls.CertificateReloadSignal;
import dev.shout.server.tls.ServerTls;
import dev.shout.server.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process mode's master: wires the parts and turns signals into a drain (SIGTERM, SIGINT) or a
 * rolling restart (SIGHUP), onto a new jar if one was renamed over the master's ({@link WorkerBuilds}). Its {@link Acceptance} takes clients in — the {@link Dispatcher}
 * accepts and hands them to workers, or with {@code --accept workers} the workers accept from the
 * socket {@link SharedAccept} shares with them — the {@link Supervisor} keeps the workers running, {@link WorkerLinks} connects each worker's link,
 * and the {@link AdmissionLedger} counts what is admitted. Everything runs on one event loop.
 */
public final class Master implements SupervisorEvents {

    private static final Logger log = LoggerFactory.getLogger(Master.class);
    private static final long TICK_MILLIS = 100;

    private final ServerConfig config;
    private final ServiceSocket socket;
    private final EventLoopGroup group = Transport.EPOLL.newGroup(1, "loop");
    private final EventLoop loop = group.next();
    private final AdmissionLedger admission;
    private final SlotTotals[] totals;
    private final Acceptance acceptance;
    private final ShutdownSignals signals;
    /** Read and checked before any worker starts; reloaded here first, then in every worker. */
    private final Optional<ServerTls> tls;
    /** Set once the control socket is up, before the supervisor; signals may come before. */
    private volatile WorkerBuilds builds;
    /** Set once the control socket is up; signals may come before. */
    private volatile Supervisor supervisor;
    private WorkerLinks links;
    private HandOffServerChannel server;
    private volatile int exitCode = ExitCodes.OK;

    public Master(ServerConfig config, ServiceSocket socket) {
        this.config = config;
        this.socket = socket;
        this.admission = AdmissionLedger.of(config);
        admission.reportRefusalsEverySecond(loop);
        // A release on a worker's report runs on this loop; one that makes room resumes accepting.
        admission.onRoom(() -> loop.execute(this::roomMade));
        this.totals = new SlotTotals[config.workers() + 1];
        for (int slot = 1; slot <= config.workers(); slot++) {
            totals[slot] = new SlotTotals();
        }
        this.acceptance = config.accept() == AcceptMode.WORKERS
                ? new SharedAccept(admission, slot -> totals[slot], config.connectionsPerWorker())
                : new Dispatcher(admission, slot -> totals[slot], config.connectionsPerWorker());
        this.tls = config.tls().map(ServerTls::start);
        this.signals = ShutdownSignals.install(() -> loop.execute(this::rollingRestart));
        tls.ifPresent(served -> {
            CertificateReloadSignal.install(() -> loop.execute(() -> reloadCertificates(served)));
            served.watchFiles(loop, this::tellWorkersToReload);
        });
    }

    /** Serves until a shutdown signal, then drains every worker; returns the exit code. */
    public int run() {
        MasterHeap.giveBackAfterBursts();
        try {
            listen();
            try (ControlSocket control = new ControlSocket(loop, (pid, channel) -> links.accept(pid, channel));
                    WorkerBuilds workerBuilds = new WorkerBuilds(control.directory(), PinnedJar.runningJar(),
                            jar -> new JvmWorkerLauncher(config, control.path(), jar), loop)) {
                log.info("workers link through {}", control.path());
                builds = workerBuilds;
                supervisor = new Supervisor(
                        // A retiring worker moves its connections first, then drains what stayed.
                        SupervisionPolicy.of(config.workers(), config.workerTimeout(),
                                config.shutdownTimeout().plus(config.worker().migrationPatience())),
                        new RecyclePolicy(config.workerMaxConnections(), config.workerMaxAge()),
                        workerBuilds, Clock.SYSTEM, loop, this);
                Configure configure = new Configure(config.worker());
                links = new WorkerLinks(supervisor,
                        link -> new MasterLinkHandler(link, supervisor, acceptance, totals[link.worker().slot()],
                                configure),
                        acceptance);
                Optional<Channel> metrics = Observability.start(config.metrics(), loop, EpollServerSocketChannel.class,
                        new MasterMetrics(supervisor, acceptance, workerBuilds.upgrades(), links, admission, server,
                                slot -> totals[slot], config.workers()), true);
                loop.submit(() -> {
                    supervisor.start();
                    LoopStall stall = new LoopStall(Clock.SYSTEM, config.workerTimeout().dividedBy(2));
                    loop.scheduleAtFixedRate(() -> {
                        stall.turned().ifPresent(supervisor::forgiveSilence);
                        supervisor.tick();
                    }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
                }).syncUninterruptibly();
                signals.awaitShutdown();
                socket.close(server).syncUninterruptibly();
                metrics.ifPresent(Channel::close);
                log.info("shutting down: no longer accepting; {} connections open, shutdown timeout {}",
                        admission.admitted(), DurationConverter.format(config.shutdownTimeout()));
                loop.submit(acceptance::closeWaiting).syncUninterruptibly();
                stopWorkers();
            }
            log.info("stopped");
            return exitCode;
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Override
    public void ready(WorkerHandle worker) {
        links.of(worker).ifPresent(link -> acceptance.workerReady(worker, link));
    }

    @Override
    public void retiring(WorkerHandle worker) {
        acceptance.workerRetiring(worker);
    }

    /** Over TLS a connection cannot move by its descriptor alone (issue #11): such workers drain as before. */
    @Override
    public boolean moveConnections(WorkerHandle old, WorkerHandle replacement) {
        Optional<MasterLink> link = config.tls().isPresent() ? Optional.empty() : links.of(old);
        link.ifPresent(toOld -> {
            acceptance.moveConnections(old, replacement);
            toOld.send(new MigrateConnections());
        });
        return link.isPresent();
    }

    @Override
    public void gone(WorkerHandle worker, boolean crashed) {
        acceptance.workerGone(worker, crashed);
    }

    @Override
    public void allReady() {
        log.info("shout listening on {} (mode=process, transform={}, transport=epoll, workers={},"
                        + " threads-per-worker={}{}){}", socket.address(server),
                config.transform(), config.workers(), config.threads(),
                config.accept() == AcceptMode.WORKERS ? ", accept=workers" : "",
                tls.map(served -> "; " + served.describe()).orElse(""));
    }

    @Override
    public void cannotBoot() {
        exitCode = ExitCodes.WORKERS_CANNOT_BOOT;
        signals.requestShutdown();
    }

    private void rollingRestart() {
        if (supervisor == null) {
            log.warn("SIGHUP before the workers started: nothing to restart");
        } else {
            builds.rollingRestart(supervisor);
        }
    }

    /** SIGUSR1: reloads here, where the files are checked; the workers, which serve them, follow unless they failed. */
    private void reloadCertificates(ServerTls served) {
        if (served.reload(true) != ServerTls.Reload.FAILED) {
            tellWorkersToReload();
        }
    }

    private void tellWorkersToReload() {
        if (links != null) {
            links.sendToAll(new ReloadCertificates());
        }
    }

    private void roomMade() {
        if (server.isOpen()) {
            acceptance.capacityChanged();
        }
    }

    private void listen() {
        // The master serves no client itself: it only hands them on, or shares the socket.
        server = socket.newHandOffChannel(config.backlog());
        // Nothing is accepted until a worker is ready: clients wait in the backlog meanwhile.
        server.config().setAutoRead(false);
        acceptance.listening(server);
        loop.register(server).syncUninterruptibly();
    }

    private void stopWorkers() {
        Duration patience = config.shutdownTimeout().plus(SupervisionPolicy.DRAIN_GRACE);
        try {
            loop.submit(supervisor::stopAll).get().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("workers still running {} after SIGTERM: killing them", DurationConverter.format(patience));
            loop.submit(supervisor::killAll).syncUninterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
