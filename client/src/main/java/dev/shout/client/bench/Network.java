package dev.shout.client.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the sockets: a few event loops serving every connection, native epoll where
 * it loads and the JDK's NIO elsewhere, and TLS under every connection with {@code --tls}. Closing
 * it closes whatever connection is still open.
 */
final class Network implements AutoCloseable {

    /**
     * Given to TLS engines instead of the server's port. The JDK keeps sessions to resume by host
     * and port, and keeps none without a port: every handshake is then a full one, which is what a
     * new client costs the server. (OpenSSL's cache keeps them without a port too: it is switched off.)
     */
    private static final int NO_PORT = -1;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final InetSocketAddress server;
    private final String host;
    private final SourceAddresses sources;
    private final String transport;
    private final Optional<SslContext> tls;
    private final long handshakeTimeoutMillis;

    private Network(BenchConfig config, InetSocketAddress server, SourceAddresses sources, boolean epoll,
            Optional<SslContext> tls) {
        this.server = server;
        this.host = config.host();
        this.sources = sources;
        this.transport = epoll ? "epoll" : "nio";
        this.tls = tls;
        this.handshakeTimeoutMillis = config.connectTimeout().toMillis();
        tls.map(SslContext::sessionContext)
                .filter(OpenSslSessionContext.class::isInstance)
                .ifPresent(sessions -> ((OpenSslSessionContext) sessions).setSessionCacheEnabled(false));
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

    /** @param tls the context of every connection's TLS engine, or empty for plaintext */
    static Network open(BenchConfig config, InetSocketAddress server, SourceAddresses sources,
            Optional<SslContext> tls) {
        return new Network(config, server, sources, Epoll.isAvailable(), tls);
    }

    /**
     * Starts connecting; {@code driver} is the connection's last handler, and the only one without
     * TLS. The future completes once the connection can carry messages: with TLS, once the
     * handshake is done.
     */
    Future<?> connect(int connection, ChannelHandler driver) {
        if (tls.isEmpty()) {
            return connect(connection, bootstrap.clone().handler(driver));
        }
        // Completed on the connection's event loop, as a connect's own future would be.
        Promise<Void> ready = ImmediateEventExecutor.INSTANCE.newPromise();
        ChannelFuture connected = connect(connection, bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                SslHandler handshake = tls.get().newHandler(channel.alloc(), host, NO_PORT);
                handshake.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
                channel.pipeline().addLast(handshake, new HandshakeGate(ready), driver);
            }
        }));
        connected.addListener(connect -> {
            if (!connect.isSuccess()) {
                ready.tryFailure(connect.cause());
            }
        });
        return ready;
    }

    private ChannelFuture connect(int connection, Bootstrap connecting) {
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

    /** {@code openssl} or {@code jdk}: who does TLS, if the connections speak it. */
    Optional<String> tlsProvider() {
        return tls.map(context -> context instanceof JdkSslContext ? "jdk" : "openssl");
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
