package dev.shout.server.pipeline;

import dev.shout.server.config.DurationConverter;
import dev.shout.server.transform.StreamTransform;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each client its bytes back, transformed, in order, and ends the connection so that
 * no byte owed is lost:
 * <ul>
 * <li>on the client's half-close (or, over TLS, its {@code close_notify}) it sends the rest and closes once it is written, or when the
 *     client has read nothing for {@code --half-closed-timeout} (counted in {@link TimedOutConnections});</li>
 * <li>when the server drains ({@link DrainEvent}) it sends what it owes, shuts its output and
 *     waits for the client to close, discarding what still comes in, so that the close cannot
 *     reset the connection under the client's unread reply;</li>
 * <li>on a timeout ({@link CloseAfterFlushEvent}) it sends what the transform holds, then closes.</li>
 * </ul>
 */
final class TransformHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TransformHandler.class);

    private final StreamTransform transform;
    private final Duration halfClosedTimeout;
    private final TimedOutConnections timedOut;
    /** Set once the last bytes were handed to the channel: nothing more is sent after it. */
    private ChannelFuture lastWrite;
    private ScheduledFuture<?> halfClosedCheck;

    TransformHandler(StreamTransform transform, Duration halfClosedTimeout, TimedOutConnections timedOut) {
        this.transform = transform;
        this.halfClosedTimeout = halfClosedTimeout;
        this.timedOut = timedOut;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (lastWrite != null) {
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
        if (evt instanceof ChannelInputShutdownEvent
                || evt instanceof SslCloseCompletionEvent closed && closed.isSuccess()) {
            // A TLS client's close_notify ends what it sends, as a TCP half-close does.
            clientHalfClosed(ctx);
        } else if (evt == DrainEvent.INSTANCE) {
            if (lastWrite == null) {
                writeLast(ctx).addListener((ChannelFutureListener) TransformHandler::shutdownOutput);
            }
        } else if (evt == CloseAfterFlushEvent.INSTANCE) {
            (lastWrite == null ? writeLast(ctx) : lastWrite).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void clientHalfClosed(ChannelHandlerContext ctx) {
        if (halfClosedCheck != null) {
            return; // seen already: a TLS client's close_notify comes before its FIN
        }
        (lastWrite == null ? writeLast(ctx) : lastWrite).addListener(ChannelFutureListener.CLOSE);
        watchHalfClosed(ctx, new ReadProgress(ctx.channel()));
    }

    /** Closes the half-closed client once it has read nothing for {@code --half-closed-timeout}. */
    private void watchHalfClosed(ChannelHandlerContext ctx, ReadProgress progress) {
        halfClosedCheck = ctx.executor().schedule(() -> {
            if (progress.advanced(ctx.channel(), halfClosedTimeout)) {
                watchHalfClosed(ctx, progress);
                return;
            }
            log.debug("{} half-closed and read nothing for {}: closing", ctx.channel(),
                    DurationConverter.format(halfClosedTimeout));
            timedOut.closed(TimedOutConnections.Cause.HALF_CLOSED);
            ctx.close();
        }, halfClosedTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (halfClosedCheck != null) {
            halfClosedCheck.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    /** True once the connection is ending: its last bytes are written or on their way. */
    boolean ending() {
        return lastWrite != null || halfClosedCheck != null;
    }

    /** For a connection that moves to another process: the bytes the transform holds, now the caller's. */
    ByteBuf takeHeld(ChannelHandlerContext ctx) {
        return transform.finish(ctx.alloc());
    }

    private ChannelFuture writeLast(ChannelHandlerContext ctx) {
        lastWrite = ctx.writeAndFlush(transform.finish(ctx.alloc()));
        return lastWrite;
    }

    private static void shutdownOutput(ChannelFuture written) {
        if (written.isSuccess() && written.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            written.channel().close();
        }
    }
}
