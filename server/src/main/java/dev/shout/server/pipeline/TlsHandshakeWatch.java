package dev.shout.server.pipeline;

import dev.shout.server.pipeline.Refusals.Reason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

/**
 * Counts the connections whose TLS handshake failed, by why: a plaintext client, a scanner, a
 * client without the certificate asked for are ordinary on an exposed port, so they are counted
 * and summarised, never logged one by one. The {@code SslHandler} before it closes them; a client
 * that leaves in the middle of its handshake is not refused, only gone. Leaves the pipeline once
 * the handshake is done.
 */
@Sharable
final class TlsHandshakeWatch extends ChannelInboundHandlerAdapter {

    private final Refusals refusals;

    TlsHandshakeWatch(Refusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                ctx.pipeline().remove(this);
            } else if (ctx.channel().isActive()) {
                refusals.refused(reasonOf(done.cause()));
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    static Reason reasonOf(Throwable failure) {
        if (failure instanceof SslHandshakeTimeoutException) {
            return Reason.TLS_HANDSHAKE_TIMEOUT;
        }
        if (failure instanceof NotSslRecordException) {
            return Reason.NOT_TLS;
        }
        return Reason.TLS_HANDSHAKE_FAILED;
    }
}
