package dev.shout.server.thread;

import dev.shout.server.ExitCodes;
import dev.shout.server.ShutdownSignals;
import dev.shout.server.config.DurationConverter;
import dev.shout.server.config.ServerConfig;
import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.pipeline.OpenConnections;
import dev.shout.server.pipeline.Refusals;
import dev.shout.server.metrics.Observability;
import dev.shout.server.pipeline.ShoutChannelInitializer;
import dev.shout.server.pipeline.TimedOutConnections;
import dev.shout.server.pipeline.Traffic;
import dev.shout.server.transport.ServiceSocket;
import dev.shout.server.tls.CertificateReloadSignal;
import dev.shout.server.tls.ServerTls;
import dev.shout.server.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Thread mode: one process, an acceptor loop and a group of event loops serving connections. */
public final class ThreadModeServer {

    private static final Logger log = LoggerFactory.getLogger(ThreadModeServer.class);

    private final ServerConfig config;
    private final ServiceSocket socket;

    public ThreadModeServer(ServerConfig config, ServiceSocket socket) {
        this.config = config;
        this.socket = socket;
    }

    /** Serves until a shutdown signal, then drains; returns the exit code. */
    public int run(ShutdownSignals signals) {
        Transport transport = Transport.best();
        EventLoopGroup acceptor = transport.newGroup(1, "acceptor");
        EventLoopGroup loops = transport.newGroup(config.threads(), "io");
        OpenConnections connections = new OpenConnections();
        Traffic traffic = new Traffic();
        AdmissionLedger admission = AdmissionLedger.of(config);
        admission.reportRefusalsEverySecond(acceptor.next());
        TimedOutConnections timedOut = new TimedOutConnections(config.connection());
        timedOut.reportEverySecond(acceptor.next());
        Refusals refusals = new Refusals(config.proxy(), config.tls());
        refusals.reportEverySecond(acceptor.next());
        Optional<ServerTls> tls = config.tls().map(ServerTls::start);
        tls.ifPresent(served -> {
            CertificateReloadSignal.install(() -> served.reload(true));
            served.watchFiles(acceptor.next(), () -> { });
        });
        try {
            Channel server = listen(new ServerBootstrap()
                    .group(acceptor, loops)
                    .channelFactory(() -> socket.newChannel(transport))
                    .option(ChannelOption.SO_BACKLOG, config.backlog())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(new AdmissionHandler(admission))
                    .childHandler(new ShoutChannelInitializer(config.connection(), config.proxy(), connections, traffic,
                            timedOut, refusals, tls)));
            Optional<Channel> metrics = Observability.start(config.metrics(), acceptor.next(),
                    transport.serverChannelClass(),
                    new ThreadModeMetrics(connections, traffic, admission, timedOut, refusals, server), false);
            log.info("shout listening on {} (mode=thread, transform={}, transport={}, threads={}){}",
                    socket.address(server),
                    config.transform(), transport, config.threads(),
                    tls.map(served -> "; " + served.describe()).orElse(""));
            signals.awaitShutdown();
            server.close().syncUninterruptibly();
            metrics.ifPresent(Channel::close);
            log.info("shutting down: no longer accepting; {} connections open, shutdown timeout {}",
                    connections.size(), DurationConverter.format(config.shutdownTimeout()));
            connections.drain(config.shutdownTimeout());
            timedOut.reportRest();
            refusals.reportRest();
            log.info("stopped");
            return ExitCodes.OK;
        } finally {
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Registers the server channel, which fails with a {@code ServerStartException} if it cannot be made, then listens. */
    private Channel listen(ServerBootstrap bootstrap) {
        Channel server = bootstrap.register().syncUninterruptibly().channel();
        socket.listen(server);
        return server;
    }
}
