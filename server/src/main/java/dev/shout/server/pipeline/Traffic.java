package dev.shout.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a process's connections have carried since it started: connections opened and bytes
 * received and sent. Its handler sits first in every pipeline, so it counts the bytes as they
 * cross the socket, before and after the transform.
 */
@Sharable
public final class Traffic extends ChannelDuplexHandler {

    private final LongAdder opened = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();

    public long opened() {
        return opened.sum();
    }

    public long received() {
        return received.sum();
    }

    public long sent() {
        return sent.sum();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        opened.increment();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received.add(((ByteBuf) msg).readableBytes());
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        sent.add(((ByteBuf) msg).readableBytes());
        ctx.write(msg, promise);
    }
}
