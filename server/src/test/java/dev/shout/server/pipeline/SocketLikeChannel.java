package dev.shout.server.pipeline;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DuplexChannel;

/**
 * An EmbeddedChannel that is half-closable as a TCP socket ({@link DuplexChannel}) is: the
 * server can shut its output, and the client's FIN shuts its input ({@link #clientHalfClosed}),
 * as the transport does before it fires {@code ChannelInputShutdownEvent}.
 */
final class SocketLikeChannel extends EmbeddedChannel implements DuplexChannel {

    private boolean outputShut;
    private boolean inputShut;

    SocketLikeChannel(ChannelHandler... handlers) {
        super(handlers);
    }

    /** The client's FIN arrived: the input is shut, as the transport shuts it. */
    void clientHalfClosed() {
        inputShut = true;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        outputShut = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isInputShutdown() {
        return inputShut;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        return promise.setFailure(new UnsupportedOperationException("the server never shuts its input"));
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        return promise.setFailure(new UnsupportedOperationException("the server never shuts both ways"));
    }
}
