package dev.shout.server.pipeline;

import dev.shout.server.config.DurationConverter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has neither sent nor received anything for {@code --idle-timeout};
 * counted in {@link TimedOutConnections}, which logs the summary. It keeps when the connection
 * was last active itself, rather than in Netty's {@code IdleStateHandler}, so that a connection
 * moving to another process carries how long it has been idle: recycling workers must not make
 * an idle client immortal (issue #11).
 */
final class IdleTimeoutHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(IdleTimeoutHandler.class);

    private final Duration timeout;
    private final TimedOutConnections timedOut;
    private final Duration alreadyIdle;
    /** The clock of the connection's event loop, which tests can move: set once the handler is added. */
    private Ticker ticker = Ticker.systemTicker();
    private long lastActiveNanos;
    private ScheduledFuture<?> check;

    /** @param alreadyIdle how long the connection had been idle in the process that served it before */
    IdleTimeoutHandler(Duration timeout, TimedOutConnections timedOut, Duration alreadyIdle) {
        this.timeout = timeout;
        this.timedOut = timedOut;
        this.alreadyIdle = alreadyIdle;
    }

    /** How long nothing was read or written. */
    Duration idle() {
        return Duration.ofNanos(ticker.nanoTime() - lastActiveNanos);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ticker = ctx.executor().ticker();
        lastActiveNanos = ticker.nanoTime() - alreadyIdle.toNanos();
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            scheduleCheck(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        scheduleCheck(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActiveNanos = ticker.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // An empty buffer sends nothing: it is how a connection readied to move learns its bytes are out.
        if (!(msg instanceof ByteBuf bytes) || bytes.isReadable()) {
            lastActiveNanos = ticker.nanoTime();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelCheck();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelCheck();
    }

    private void scheduleCheck(ChannelHandlerContext ctx) {
        if (check == null) {
            check = ctx.executor().schedule(() -> check(ctx), timeout.minus(idle()).toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Runs when the connection would have been idle for the timeout, had nothing happened since. */
    private void check(ChannelHandlerContext ctx) {
        check = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (idle().compareTo(timeout) < 0) {
            scheduleCheck(ctx);
            return;
        }
        log.debug("{} idle for {}: closing", ctx.channel(), DurationConverter.format(timeout));
        timedOut.closed(TimedOutConnections.Cause.IDLE);
        ctx.pipeline().fireUserEventTriggered(CloseAfterFlushEvent.INSTANCE);
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
