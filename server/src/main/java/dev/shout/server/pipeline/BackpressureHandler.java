package dev.shout.server.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading from a client while more than the high water mark is owed to it, and reads
 * again below the low one: a client that sends without reading cannot grow server memory.
 */
@Sharable
final class BackpressureHandler extends ChannelInboundHandlerAdapter {

    static final BackpressureHandler INSTANCE = new BackpressureHandler();

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }
}
