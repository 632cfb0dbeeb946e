package dev.shout.server.pipeline;

import dev.shout.server.config.ConnectionPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;

/**
 * The data path of one client connection, the same in thread mode and in every worker
 * process: this is the only place where a connection's pipeline and options are set.
 */
public final class ShoutChannelInitializer extends ChannelInitializer<Channel> {

    private final ConnectionPolicy policy;
    private final OpenConnections connections;
    private final Traffic traffic;
    private final TimedOutConnections timedOut;
    /**
     * Above {@code --max-pending-bytes} owed to a client the server stops reading from it; below
     * half of it, it reads again. Set here, not left to Netty's defaults, because it bounds
     * memory per connection.
     */
    private final WriteBufferWaterMark waterMark;

    /** @param timedOut counts the connections a timeout closes; its owner logs and exports it */
    public ShoutChannelInitializer(ConnectionPolicy policy, OpenConnections connections, Traffic traffic,
            TimedOutConnections timedOut) {
        this.policy = policy;
        this.connections = connections;
        this.traffic = traffic;
        this.timedOut = timedOut;
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
