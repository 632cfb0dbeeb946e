package dev.shout.server.pipeline;

import dev.shout.server.config.DurationConverter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has neither sent nor received anything for {@code --idle-timeout};
 * counted in {@link TimedOutConnections}, which logs the summary.
 */
final class IdleTimeoutHandler extends IdleStateHandler {

    private static final Logger log = LoggerFactory.getLogger(IdleTimeoutHandler.class);

    private final Duration timeout;
    private final TimedOutConnections timedOut;

    IdleTimeoutHandler(Duration timeout, TimedOutConnections timedOut) {
        super(0, 0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        this.timeout = timeout;
        this.timedOut = timedOut;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.isFirst()) {
            log.debug("{} idle for {}: closing", ctx.channel(), DurationConverter.format(timeout));
            timedOut.closed(TimedOutConnections.Cause.IDLE);
            ctx.pipeline().fireUserEventTriggered(CloseAfterFlushEvent.INSTANCE);
        }
    }
}
