package dev.shout.server.pipeline;

import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.ProxyProtocolPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

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
    private final ProxyRefusals proxyRefusals;
    /**
     * Above {@code --max-pending-bytes} owed to a client the server stops reading from it; below
     * half of it, it reads again. Set here, not left to Netty's defaults, because it bounds
     * memory per connection.
     */
    private final WriteBufferWaterMark waterMark;

    /**
     * @param timedOut counts the connections a timeout closes; its owner logs and exports it
     * @param proxyRefusals counts the connections the PROXY protocol refuses; likewise
     */
    public ShoutChannelInitializer(ConnectionPolicy policy, ProxyProtocolPolicy proxy, OpenConnections connections,
            Traffic traffic, TimedOutConnections timedOut, ProxyRefusals proxyRefusals) {
        this.policy = policy;
        this.proxy = proxy;
        this.connections = connections;
        this.traffic = traffic;
        this.timedOut = timedOut;
        this.proxyRefusals = proxyRefusals;
        this.waterMark = new WriteBufferWaterMark(policy.maxPendingBytes() / 2, policy.maxPendingBytes());
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
        if (proxy.enabled()) {
            // First: the header is neither the client's traffic nor ever sent back.
            pipeline.addLast(new HAProxyMessageDecoder(MAX_TLV_BYTES), new ProxyHeaderHandler(proxy, proxyRefusals));
        }
        pipeline.addLast(traffic);
        if (!policy.idleTimeout().isZero()) {
            pipeline.addLast(new IdleTimeoutHandler(policy.idleTimeout(), timedOut));
        }
        pipeline.addLast(
                new StalledReaderHandler(policy.writeTimeout(), timedOut),
                BackpressureHandler.INSTANCE,
                new TransformHandler(policy.transform().newTransform(), policy.halfClosedTimeout(), timedOut),
                ConnectionErrorHandler.INSTANCE);
    }
}
