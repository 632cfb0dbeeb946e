package dev.shout.server.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that failed. Peers that reset or vanish, or send TLS records that do not
 * decrypt, are ordinary on a network, so I/O errors (TLS's among them, which reach here wrapped
 * by the decoder that met them) are logged at debug level only; anything else is a bug and
 * logged as a warning.
 */
@Sharable
final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {

    static final ConnectionErrorHandler INSTANCE = new ConnectionErrorHandler();
    private static final Logger log = LoggerFactory.getLogger(ConnectionErrorHandler.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof DecoderException && cause.getCause() instanceof IOException) {
            log.debug("{} closed after I/O error: {}", ctx.channel(), cause.toString());
        } else {
            log.warn("{} closed after unexpected error", ctx.channel(), cause);
        }
        ctx.close();
    }
}
