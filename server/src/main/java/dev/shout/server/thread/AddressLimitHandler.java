package dev.shout.server.thread;

import dev.shout.server.pipeline.AddressLimiter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Closes, at once and before it is registered, a connection from an address that already
 * holds {@code --max-connections-per-ip}. Sits in the server channel's pipeline.
 */
@Sharable
final class AddressLimitHandler extends ChannelInboundHandlerAdapter {

    private final AddressLimiter limiter;

    AddressLimitHandler(AddressLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        InetAddress address = ((InetSocketAddress) child.remoteAddress()).getAddress();
        if (!limiter.tryAcquire(address)) {
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(closed -> limiter.release(address));
        ctx.fireChannelRead(msg);
    }
}
