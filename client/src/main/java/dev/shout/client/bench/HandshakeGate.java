package dev.shout.client.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;

/**
 * Sits between the {@code SslHandler} and the driver and hides a TLS connection from the driver
 * until its handshake is done. The driver sees the connection become active only then, so that it
 * counts as opened only once TLS works; a failed handshake is a failed connect, told through
 * {@code ready} with its cause, never a connection opened and then lost.
 */
final class HandshakeGate extends ChannelInboundHandlerAdapter {

    private final Promise<Void> ready;
    private boolean open;

    /** @param ready completed when the handshake is done, failed when it fails */
    HandshakeGate(Promise<Void> ready) {
        this.ready = ready;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Connected, not yet usable: the SslHandler before this one has started the handshake.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && !open) {
            if (handshake.isSuccess()) {
                open = true;
                ctx.fireChannelActive();
                ready.trySuccess(null);
            } else {
                ready.tryFailure(handshake.cause());
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (open) {
            ctx.fireExceptionCaught(cause);
        } else {
            // The handshake's failure, also told by the completion event; whichever comes first.
            ready.tryFailure(cause);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (open) {
            ctx.fireChannelInactive();
        } else {
            ready.tryFailure(new ClosedChannelException());
        }
    }
}
