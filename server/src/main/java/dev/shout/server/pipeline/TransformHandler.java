package dev.shout.server.pipeline;

import dev.shout.server.transform.StreamTransform;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

/**
 * Sends each client its bytes back, transformed, in order, and ends the connection so that
 * no byte owed is lost: on the client's half-close it sends the rest and closes; when the
 * server drains ({@link DrainEvent}) it sends what it owes, shuts its output, and waits for
 * the client to close, discarding what still comes in, so that the close cannot reset the
 * connection under the client's unread reply.
 */
final class TransformHandler extends ChannelInboundHandlerAdapter {

    private final StreamTransform transform;
    private boolean outputShut;

    TransformHandler(StreamTransform transform) {
        this.transform = transform;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (outputShut) {
            in.release();
            return;
        }
        ByteBuf out = transform.apply(in, ctx.alloc());
        if (out.isReadable()) {
            ctx.write(out, ctx.voidPromise());
        } else {
            out.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (outputShut) {
                ctx.close();
            } else {
                outputShut = true;
                ctx.writeAndFlush(transform.finish(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
            }
        } else if (evt == DrainEvent.INSTANCE) {
            if (!outputShut) {
                outputShut = true;
                ctx.writeAndFlush(transform.finish(ctx.alloc())).addListener((ChannelFutureListener) TransformHandler::shutdownOutput);
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private static void shutdownOutput(ChannelFuture written) {
        if (written.isSuccess() && written.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            written.channel().close();
        }
    }
}
