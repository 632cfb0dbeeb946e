package dev.shout.server.process;

import dev.shout.server.ExitCodes;
import dev.shout.server.ServerStartException;
import dev.shout.server.ShutdownSignals;
import dev.shout.server.config.DurationConverter;
import dev.shout.server.config.ServerConfig;
import dev.shout.server.metrics.Observability;
import dev.shout.server.pipeline.AddressLimiter;
import dev.shout.server.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process mode's master: accepts connections and hands each to a worker process (see
 * {@link Dispatcher}), supervises the workers ({@link WorkerPool}), and turns signals into
 * a drain (SIGTERM, SIGINT) or a rolling restart (SIGHUP). Everything runs on one event loop.
 */
public final class Master implements WorkerPool.Events {

    private static final Logger log = LoggerFactory.getLogger(Master.class);

    private final ServerConfig config;
    private final EventLoopGroup group = Transport.EPOLL.newGroup(1, "loop");
    private final EventLoop loop = group.next();
    private final WorkerPool pool;
    private final Dispatcher dispatcher;
    private final ShutdownSignals signals;
    private final AddressLimiter addressLimiter;
    private EpollServerSocketChannel server;
    private volatile int exitCode = ExitCodes.OK;

    public Master(ServerConfig config) {
        this.config = config;
        this.addressLimiter = new AddressLimiter(config.maxConnectionsPerAddress());
        addressLimiter.reportRefusalsEverySecond(loop);
        this.pool = new WorkerPool(config, loop, addressLimiter, this);
        this.dispatcher = new Dispatcher(pool, addressLimiter, config.maxConnections());
        this.signals = ShutdownSignals.install(() -> loop.execute(pool::rollingRestart));
    }

    /** Serves until a shutdown signal, then drains every worker; returns the exit code. */
    public int run() {
        try {
            bind();
            Optional<Channel> metrics = Observability.start(config.metrics(), loop, EpollServerSocketChannel.class,
                    new MasterMetrics(pool, dispatcher, addressLimiter, server, config.workers()), true);
            try (ControlSocket control = new ControlSocket(loop, pool::awaitsLink, pool::linked)) {
                log.info("workers link through {}", control.path());
                loop.submit(() -> pool.start(new WorkerLauncher(config, control.path()))).syncUninterruptibly();
                signals.awaitShutdown();
                server.close().syncUninterruptibly();
                metrics.ifPresent(Channel::close);
                log.info("shutting down: no longer accepting; {} connections open, shutdown timeout {}",
                        loop.submit(pool::openConnections).syncUninterruptibly().getNow(),
                        DurationConverter.format(config.shutdownTimeout()));
                loop.submit(dispatcher::closeWaiting).syncUninterruptibly();
                stopWorkers();
            }
            log.info("stopped");
            return exitCode;
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Override
    public void capacityChanged() {
        dispatcher.capacityChanged();
    }

    @Override
    public void allReady() {
        log.info("shout listening on {} (mode=process, transform={}, transport=epoll, workers={},"
                        + " threads-per-worker={})", ServerStartException.listening(config.host(), server.localAddress()),
                config.transform(), config.workers(), config.threads());
    }

    @Override
    public void reclaim(List<EpollSocketChannel> connections) {
        dispatcher.reclaim(connections);
    }

    @Override
    public void cannotBoot() {
        exitCode = ExitCodes.WORKERS_CANNOT_BOOT;
        signals.requestShutdown();
    }

    private void bind() {
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        server = new EpollServerSocketChannel();
        server.config().setBacklog(config.backlog());
        server.config().setReuseAddress(true);
        // Nothing is accepted until a worker is ready: clients wait in the backlog meanwhile.
        server.config().setAutoRead(false);
        server.pipeline().addLast(dispatcher);
        try {
            loop.register(server).sync();
            server.bind(address).sync();
        } catch (Exception e) {
            server.close();
            throw new ServerStartException(address, e);
        }
    }

    private void stopWorkers() {
        Duration patience = config.shutdownTimeout().plus(WorkerPool.DRAIN_GRACE);
        try {
            loop.submit(pool::stopAll).get().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("workers still running {} after SIGTERM: killing them", DurationConverter.format(patience));
            loop.submit(pool::killAll).syncUninterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
