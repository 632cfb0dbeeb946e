package dev.shout.server.process;

import dev.shout.server.ExitCodes;
import dev.shout.server.ShutdownSignals;
import dev.shout.server.config.ServerConfig;
import dev.shout.server.pipeline.OpenConnections;
import dev.shout.server.pipeline.ShoutChannelInitializer;
import dev.shout.server.pipeline.Traffic;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * A worker process: connects its link to the master, serves every connection whose
 * descriptor arrives on it with the common pipeline, and reports to the master. It drains on
 * SIGTERM and exits at once when the link closes, which means the master is gone.
 */
final class Worker {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final ServerConfig config;
    private final Path controlSocket;
    private volatile boolean masterGone;
    private volatile boolean draining;

    Worker(ServerConfig config, Path controlSocket) {
        this.config = config;
        this.controlSocket = controlSocket;
    }

    int run() {
        // A terminal's hangup reaches the whole process group: the master rolls its workers.
        ShutdownSignals signals = ShutdownSignals.install(() -> log.info("SIGHUP ignored: the master restarts workers"));
        // Ctrl-C in a terminal signals the whole process group; the master decides for its workers.
        Signal.handle(new Signal("INT"), signal -> log.debug("SIGINT ignored: the master stops workers"));
        EventLoopGroup loops = Transport.EPOLL.newGroup(config.threads(), "io");
        // The link has a thread of its own, so that heartbeats and acknowledgements never wait
        // behind client traffic: a worker busy closing thousands of connections is not dead.
        EventLoopGroup linkLoop = Transport.EPOLL.newGroup(1, "link");
        try {
            Channel link = connectLink(linkLoop, signals);
            LinkReporter reporter = new LinkReporter(link);
            OpenConnections connections = new OpenConnections(closed -> reporter.released(clientOf(closed)));
            Traffic traffic = new Traffic();
            link.pipeline().addLast(new DescriptorReceiver(
                    loops, new ShoutChannelInitializer(config.connection(), connections, traffic), reporter));
            link.config().setAutoRead(true);
            reporter.startHeartbeats(connections, traffic);
            log.info("worker ready (pid {}, {} event loops)", ProcessHandle.current().pid(), config.threads());
            signals.awaitShutdown();
            if (masterGone) {
                log.warn("link to the master closed: exiting with {} connections open", connections.size());
                return ExitCodes.MASTER_GONE;
            }
            draining = true;
            reporter.draining();
            long start = System.nanoTime();
            // The master answers DRAINING by shutting its side of the link once every descriptor
            // already sent is out; until then connections may still arrive. Half the shutdown
            // timeout at most goes to that wait, so that the drain keeps at least the other half.
            if (!link.closeFuture().awaitUninterruptibly(config.shutdownTimeout().dividedBy(2).toMillis())) {
                log.warn("the master did not close the link: draining anyway");
            }
            log.info("draining {} connections", connections.size());
            connections.drain(config.shutdownTimeout().minusNanos(System.nanoTime() - start));
            log.info("stopped");
            return ExitCodes.OK;
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            linkLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    static InetAddress clientOf(Channel connection) {
        return ((InetSocketAddress) connection.remoteAddress()).getAddress();
    }

    private Channel connectLink(EventLoopGroup linkLoop, ShutdownSignals signals) {
        Channel link = new Bootstrap()
                .group(linkLoop)
                .channel(EpollDomainSocketChannel.class)
                .option(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                // Descriptors are read only once the receiver is in the pipeline.
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new DomainSocketAddress(controlSocket.toFile()))
                .syncUninterruptibly()
                .channel();
        link.closeFuture().addListener(closed -> {
            if (!draining) {
                masterGone = true;
                signals.requestShutdown();
            }
        });
        return link;
    }
}
