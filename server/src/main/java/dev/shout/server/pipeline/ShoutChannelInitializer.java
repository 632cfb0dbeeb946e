package dev.shout.server.pipeline;

import dev.shout.server.transform.TransformKind;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;

/**
 * The data path of one client connection, the same in thread mode and in every worker
 * process: this is the only place where a connection's pipeline and options are set.
 */
public final class ShoutChannelInitializer extends ChannelInitializer<Channel> {

    /**
     * Above 64 KiB owed to a client the server stops reading from it; below 32 KiB it reads
     * again. Set here, not left to Netty's defaults, because it bounds memory per connection.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final TransformKind transform;
    private final OpenConnections connections;

    public ShoutChannelInitializer(TransformKind transform, OpenConnections connections) {
        this.transform = transform;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelConfig config = ch.config();
        config.setWriteBufferWaterMark(WATER_MARK);
        // A client that half-closes still gets every byte it is owed (see TransformHandler).
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        config.setOption(ChannelOption.TCP_NODELAY, true);
        connections.add(ch);
        ch.pipeline().addLast(
                BackpressureHandler.INSTANCE,
                new TransformHandler(transform.newTransform()),
                ConnectionErrorHandler.INSTANCE);
    }
}
