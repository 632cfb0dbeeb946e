package dev.shout.server.pipeline;

import dev.shout.server.config.DurationConverter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose client reads nothing for {@code --write-timeout} while it is owed
 * more than the high water mark. Backpressure already stopped reading from it, so it costs
 * little, but it would hold its buffers and descriptor for ever. Counted in
 * {@link TimedOutConnections}, which logs the summary.
 */
final class StalledReaderHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StalledReaderHandler.class);

    private final Duration timeout;
    private final TimedOutConnections timedOut;
    private ScheduledFuture<?> check;
    private ReadProgress progress;

    StalledReaderHandler(Duration timeout, TimedOutConnections timedOut) {
        this.timeout = timeout;
        this.timedOut = timedOut;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancel();
        } else if (check == null) {
            progress = new ReadProgress(ctx.channel());
            schedule(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void schedule(ChannelHandlerContext ctx) {
        check = ctx.executor().schedule(() -> check(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        check = null;
        if (ctx.channel().isWritable() || !ctx.channel().isActive()) {
            return;
        }
        if (progress.advanced(ctx.channel(), timeout)) {
            schedule(ctx); // the client read something: give it another period
            return;
        }
        log.debug("{} read nothing for {} with {} bytes owed: closing", ctx.channel(),
                DurationConverter.format(timeout), ReadProgress.pendingBytes(ctx.channel()));
        timedOut.closed(TimedOutConnections.Cause.WRITE);
        ctx.close();
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
