package dev.shout.server.process.worker;

import dev.shout.server.BuildVersion;
import dev.shout.server.ExitCodes;
import dev.shout.server.ShutdownSignals;
import dev.shout.server.config.WorkerSettings;
import dev.shout.server.pipeline.OpenConnections;
import dev.shout.server.pipeline.Refusals;
import dev.shout.server.tls.CertificateReloadSignal;
import dev.shout.server.tls.ServerTls;
import dev.shout.server.pipeline.ShoutChannelInitializer;
import dev.shout.server.pipeline.TimedOutConnections;
import dev.shout.server.pipeline.Traffic;
import dev.shout.server.process.link.DescriptorPairing;
import dev.shout.server.process.link.LinkCodec;
import dev.shout.server.process.link.LinkMessage.ListeningSocket;
import dev.shout.server.process.link.LinkMessage.Sender;
import dev.shout.server.process.link.LinkProtocolException;
import dev.shout.server.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.util.concurrent.Promise;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * A worker process: connects its link to the master, says hello, sets itself up from the
 * settings the master answers with, connects the link's second socket, serves every
 * connection whose descriptor arrives — or, with {@code --accept workers}, every client it accepts
 * from the listening socket that arrives — with the common pipeline, and reports to the master. It
 * drains on SIGTERM and exits at once when the link closes, which means the master is gone.
 */
final class Worker {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final Path controlSocket;
    private volatile boolean masterGone;
    private volatile boolean draining;

    Worker(Path controlSocket) {
        this.controlSocket = controlSocket;
    }

    int run() {
        // A terminal's hangup reaches the whole process group: the master rolls its workers.
        ShutdownSignals signals = ShutdownSignals.install(() -> log.info("SIGHUP ignored: the master restarts workers"));
        // Ctrl-C in a terminal signals the whole process group; the master decides for its workers.
        Signal.handle(new Signal("INT"), signal -> log.debug("SIGINT ignored: the master stops workers"));
        // The link has a thread of its own, so that heartbeats and adoptions never wait behind
        // client traffic: a worker busy closing thousands of connections is not dead.
        EventLoopGroup linkLoop = Transport.EPOLL.newGroup(1, "link");
        EventLoopGroup loops = null;
        try {
            Channel messages = connect(linkLoop, DomainSocketReadMode.BYTES);
            Promise<WorkerSettings> configured = linkLoop.next().newPromise();
            SettingsReader settingsReader = new SettingsReader(configured);
            messages.pipeline().addLast(new LinkCodec(Sender.MASTER), settingsReader);
            LinkReporter reporter = new LinkReporter(messages);
            reporter.hello(BuildVersion.current());
            messages.config().setAutoRead(true);
            if (!configured.awaitUninterruptibly().isSuccess()) {
                return unconfigured(configured.cause());
            }
            WorkerSettings settings = configured.getNow();
            loops = Transport.EPOLL.newGroup(settings.threads(), "io");
            OpenConnections connections = new OpenConnections();
            Traffic traffic = new Traffic();
            TimedOutConnections timedOut = new TimedOutConnections(settings.connection());
            timedOut.reportEverySecond(linkLoop.next());
            Refusals refusals = new Refusals(settings.proxy(), settings.tls());
            refusals.reportEverySecond(linkLoop.next());
            RemoteAdmission admission = new RemoteAdmission(reporter);
            ArrivingConnections arriving = new ArrivingConnections();
            Optional<ServerTls> tls = settings.tls().map(ServerTls::start);
            // The master reloads for its workers; a SIGUSR1 sent to a worker itself does the same here.
            tls.ifPresent(served -> CertificateReloadSignal.install(() -> served.reload(true)));
            ShoutChannelInitializer pipeline = new ShoutChannelInitializer(settings.connection(),
                    settings.proxy(), connections, traffic, timedOut, refusals, tls);
            ConnectionAdopter adopter = new ConnectionAdopter(loops, pipeline, reporter, admission, arriving);
            SharedAcceptor acceptor = new SharedAcceptor(loops, pipeline, reporter, admission, arriving,
                    settings.connectionsPerWorker());
            DescriptorPairing pairing = new DescriptorPairing((message, descriptor) -> {
                if (message instanceof ListeningSocket) {
                    acceptor.listen(descriptor);
                } else {
                    adopter.paired(message, descriptor);
                }
            });
            // Connecting the second socket makes this worker ready: what the master sends from
            // then on waits in the settings reader, or unread in the socket, for the handlers below.
            Channel descriptors = connect(linkLoop, DomainSocketReadMode.FILE_DESCRIPTORS);
            ConnectionMigrator migrator = new ConnectionMigrator(messages, descriptors, settings.migrationTimeout(),
                    signals::requestShutdown);
            WorkerLinkHandler linkHandler = new WorkerLinkHandler(pairing, admission, acceptor, reporter,
                    () -> tls.ifPresent(served -> served.reload(true)), migrator);
            // On the link's loop, so that no message read meanwhile passes the handler before it is
            // added, nor overtakes those the settings reader kept.
            messages.eventLoop().submit(() -> messages.pipeline().replace(settingsReader, null, linkHandler))
                    .syncUninterruptibly();
            descriptors.pipeline().addLast(new DescriptorReader(pairing, messages, reporter));
            messages.closeFuture().addListener(closed -> {
                descriptors.close();
                if (!draining) {
                    masterGone = true;
                    signals.requestShutdown();
                }
            });
            descriptors.config().setAutoRead(true);
            reporter.startHeartbeats(connections, traffic, timedOut, refusals);
            log.info("worker ready (pid {}, {} event loops)", ProcessHandle.current().pid(), settings.threads());
            signals.awaitShutdown();
            if (masterGone) {
                reportRest(timedOut, refusals);
                log.warn("link to the master closed: exiting with {} connections open", connections.size());
                return ExitCodes.MASTER_GONE;
            }
            // Accepting stops first: no client taken after the master is told this worker drains,
            // nor left out of the connections that move.
            acceptor.stop().syncUninterruptibly();
            if (migrator.wasRequested()) {
                migrator.migrateAll(connections.channels(), settings.migrationPatience());
            }
            long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
            draining = true;
            reporter.draining();
            // The master answers DRAINING by shutting its side of the link once every connection
            // already sent is out; until then connections may still arrive. Half the shutdown
            // timeout at most goes to that wait, so that the drain keeps at least the other half.
            if (!messages.closeFuture().awaitUninterruptibly(settings.shutdownTimeout().dividedBy(2).toMillis())) {
                log.warn("the master did not close the link: draining anyway");
            }
            // Clients taken before the link closed and not yet in their pipeline are drained too;
            // waiting for them (for a lease the master has queued, say) takes at most half the
            // time left, so that the drain keeps the other half.
            long now = System.nanoTime();
            int unready = arriving.awaitNone(now + Math.max(0, deadline - now) / 2);
            if (unready > 0) {
                log.warn("{} clients taken were still not set up after half the time left: draining without them", unready);
            }
            log.info("draining {} connections", connections.size());
            connections.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            reportRest(timedOut, refusals);
            log.info("stopped");
            return ExitCodes.OK;
        } finally {
            if (loops != null) {
                loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            linkLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    /** The summary lines of connections closed since the last ones: a worker's last second is logged too. */
    private static void reportRest(TimedOutConnections timedOut, Refusals refusals) {
        timedOut.reportRest();
        refusals.reportRest();
    }

    /** The link broke before the master sent the settings: it is gone, or spoke out of turn. */
    private static int unconfigured(Throwable cause) {
        if (cause instanceof LinkProtocolException) {
            log.error("the master broke the link protocol ({}): exiting", cause.getMessage());
            return ExitCodes.START_FAILED;
        }
        log.warn("link to the master closed before it sent the settings: exiting");
        return ExitCodes.MASTER_GONE;
    }

    /**
     * Connects one of the link's two sockets, the framed one first: the master tells them apart
     * by that order. Nothing is read until its handlers are in place.
     */
    private Channel connect(EventLoopGroup linkLoop, DomainSocketReadMode readMode) {
        return new Bootstrap()
                .group(linkLoop)
                .channel(EpollDomainSocketChannel.class)
                .option(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, readMode)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new DomainSocketAddress(controlSocket.toFile()))
                .syncUninterruptibly()
                .channel();
    }
}
