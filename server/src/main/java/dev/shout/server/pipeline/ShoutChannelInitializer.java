package dev.shout.server.pipeline;

import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data path of one client connection, the same in thread mode and in every worker
 * process: this is the only place where a connection's pipeline and options are set.
 */
public final class ShoutChannelInitializer extends ChannelInitializer<Channel> {

    /**
     * The most bytes of TLVs a v2 header may carry: room for what balancers send (HAProxy's
     * unique id and TLS details, cloud balancers' endpoint ids), where the decoder's default
     * would buffer up to 64 KiB of a connection before serving a byte of it.
     */
    static final int MAX_TLV_BYTES = 512;

    private final ConnectionPolicy policy;
    private final ProxyProtocolPolicy proxy;
    private final OpenConnections connections;
    private final Traffic traffic;
    private final TimedOutConnections timedOut;
    private final Refusals refusals;
    private final Optional<ServerTls> tls;
    private final TlsHandshakeWatch handshakeWatch;
    /**
     * Above {@code --max-pending-bytes} owed to a client the server stops reading from it; below
     * half of it, it reads again. Set here, not left to Netty's defaults, because it bounds
     * memory per connection.
     */
    private final WriteBufferWaterMark waterMark;
    /** One idle timer per event loop, made when the loop gets its first connection. */
    private final Map<EventLoop, IdleConnections> idleByLoop = new ConcurrentHashMap<>();

    /**
     * @param timedOut counts the connections a timeout closes; its owner logs and exports it
     * @param refusals counts the connections the PROXY protocol or TLS refuses; likewise
     * @param tls the certificate served to new connections, if TLS is on
     */
    public ShoutChannelInitializer(ConnectionPolicy policy, ProxyProtocolPolicy proxy, OpenConnections connections,
            Traffic traffic, TimedOutConnections timedOut, Refusals refusals, Optional<ServerTls> tls) {
        this.policy = policy;
        this.proxy = proxy;
        this.connections = connections;
        this.traffic = traffic;
        this.timedOut = timedOut;
        this.refusals = refusals;
        this.tls = tls;
        this.handshakeWatch = new TlsHandshakeWatch(refusals);
        this.waterMark = new WriteBufferWaterMark(policy.maxPendingBytes() / 2, policy.maxPendingBytes());
    }

    /** The idle timer of the connections of {@code loop}; null with {@code --idle-timeout 0}. */
    private IdleConnections idleConnections(EventLoop loop) {
        return policy.idleTimeout().isZero() ? null
                : idleByLoop.computeIfAbsent(loop, each -> new IdleConnections(each, policy.idleTimeout(), timedOut));
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelConfig config = ch.config();
        config.setWriteBufferWaterMark(waterMark);
        // A client that half-closes still gets every byte it is owed (see TransformHandler).
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        config.setOption(ChannelOption.TCP_NODELAY, true);
        connections.add(ch);
        ChannelPipeline pipeline = ch.pipeline();
        // A connection moved from another worker read its PROXY header there.
        Optional<ConnectionState> resumed = ConnectionMigration.resumed(ch);
        if (proxy.enabled() && resumed.isEmpty()) {
            // First: the header is neither the client's traffic nor ever sent back.
            pipeline.addLast(new HAProxyMessageDecoder(MAX_TLV_BYTES), new ProxyHeaderHandler(proxy, refusals));
        }
        if (tls.isPresent()) {
            // After the PROXY header, which a balancer sends in plaintext before the client's
            // handshake; before everything else, which sees, limits and counts plaintext only.
            pipeline.addLast(new TlsRecordFramer(), tls.get().newHandler(ch.alloc()), handshakeWatch);
        }
        pipeline.addLast(
                new ConnectionActivity(traffic, idleConnections(ch.eventLoop()),
                        resumed.map(ConnectionState::idle).orElse(Duration.ZERO)),
                new StalledReaderHandler(policy.writeTimeout(), timedOut),
                BackpressureHandler.INSTANCE,
                new TransformHandler(resumed.map(state -> state.restore(policy.transform().newTransform(), ch.alloc()))
                        .orElseGet(policy.transform()::newTransform), policy.halfClosedTimeout(), timedOut),
                ConnectionErrorHandler.INSTANCE);
    }
}
