package dev.shout.server.pipeline;

import dev.shout.server.config.ConnectionPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /**
     * Set only by the constructor process mode's worker still calls: its summary is then logged
     * from the event loop of the first connection.
     */
    private final AtomicBoolean reportOnFirstConnection;

    /** @param timedOut counts the connections a timeout closes; its owner logs and exports it */
    public ShoutChannelInitializer(ConnectionPolicy policy, OpenConnections connections, Traffic traffic,
            TimedOutConnections timedOut) {
        this(policy, connections, traffic, timedOut, false);
    }

    /**
     * @deprecated for process mode's worker only, until it passes a {@link TimedOutConnections}
     *     whose summary it logs and whose totals it reports to the master (issue 10): here the
     *     summary is logged, but the totals reach no metric.
     */
    @Deprecated(forRemoval = true)
    public ShoutChannelInitializer(ConnectionPolicy policy, OpenConnections connections, Traffic traffic) {
        this(policy, connections, traffic, new TimedOutConnections(policy), true);
    }

    private ShoutChannelInitializer(ConnectionPolicy policy, OpenConnections connections, Traffic traffic,
            TimedOutConnections timedOut, boolean reportOnFirstConnection) {
        this.policy = policy;
        this.connections = connections;
        this.traffic = traffic;
        this.timedOut = timedOut;
        this.reportOnFirstConnection = new AtomicBoolean(reportOnFirstConnection);
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
        if (reportOnFirstConnection.compareAndSet(true, false)) {
            timedOut.reportEverySecond(ch.eventLoop());
        }
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
