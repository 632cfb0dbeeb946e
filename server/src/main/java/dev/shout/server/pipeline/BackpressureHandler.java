package dev.shout.server.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;

/**
 * Stops reading from a client while more than the high water mark is owed to it, and reads
 * again below the low one: a client that sends without reading cannot grow server memory.
 */
@Sharable
final class BackpressureHandler extends ChannelInboundHandlerAdapter {

    static final BackpressureHandler INSTANCE = new BackpressureHandler();

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // A client that half-closed has nothing left to read: reading stays as it is. Stopping it
        // would leave Netty 4.2.18's epoll transport wanting no event of the socket, which it then
        // takes out of epoll while believing it still there, so writing the rest fails (ENOENT).
        if (!(ctx.channel() instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }
}
