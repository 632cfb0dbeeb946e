package dev.shout.client.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the sockets: a few event loops serving every connection, native epoll where
 * it loads and the JDK's NIO elsewhere. Closing it closes whatever connection is still open.
 */
final class Network implements AutoCloseable {

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final InetSocketAddress server;
    private final SourceAddresses sources;
    private final String transport;

    private Network(BenchConfig config, InetSocketAddress server, SourceAddresses sources, boolean epoll) {
        this.server = server;
        this.sources = sources;
        this.transport = epoll ? "epoll" : "nio";
        this.group = new MultiThreadIoEventLoopGroup(config.threads(), new DefaultThreadFactory("shout-bench", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(
                        config.connectTimeout().toMillis(), Integer.MAX_VALUE));
        if (epoll) {
            // The port is then chosen at connect time, unique per server address and port rather than
            // per source address, and a port still in TIME_WAIT can be reused on loopback.
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
    }

    static Network open(BenchConfig config, InetSocketAddress server, SourceAddresses sources) {
        return new Network(config, server, sources, Epoll.isAvailable());
    }

    /** Starts connecting; {@code driver} is the connection's only handler. */
    ChannelFuture connect(int connection, ChannelHandler driver) {
        Bootstrap connecting = bootstrap.clone().handler(driver);
        InetSocketAddress source = sources.forConnection(connection);
        return source == null ? connecting.connect(server) : connecting.connect(server, source);
    }

    /** For work that must not run on the calling thread, such as the next connect after a failure. */
    EventExecutor executor() {
        return group.next();
    }

    /** {@code epoll} or {@code nio}. */
    String transport() {
        return transport;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
