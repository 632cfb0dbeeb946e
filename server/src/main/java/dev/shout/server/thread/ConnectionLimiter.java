package dev.shout.server.thread;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open connections by pausing accept, not by refusing: while the cap is reached the
 * server channel stops reading, so new clients wait in the kernel's backlog and are served
 * as soon as a connection closes. Sits in the server channel's pipeline.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel serverChannel = ctx.channel();
        Channel child = (Channel) msg;
        if (open.incrementAndGet() >= maxConnections) {
            serverChannel.config().setAutoRead(false);
        }
        child.closeFuture().addListener(closed -> {
            if (open.decrementAndGet() < maxConnections && serverChannel.isOpen()) {
                serverChannel.config().setAutoRead(true);
            }
        });
        ctx.fireChannelRead(msg);
    }
}
