package dev.shout.client.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;

/**
 * Talks to the server over one connection, on that connection's event loop. This base reads and
 * verifies the reply stream, cuts it into messages of {@code --size} bytes, keeps the connection
 * counters, and ends the conversation politely; subclasses decide when to send.
 *
 * <p>Sent bytes are the connection's {@link Payload} stream one after the other, so the offset of
 * a reply byte is the offset of the request byte it answers: every transform keeps lengths for
 * ASCII.
 */
abstract class ConnectionDriver extends ChannelInboundHandlerAdapter {

    private final DriverContext context;
    private final int connection;
    private final ReplyCheck check;
    private Channel channel;
    private long sent;
    private long received;
    private long nextReplyEnd;
    /** The bench is ending this conversation, so the connection closing is no loss. */
    private boolean ending;
    private boolean lost;

    ConnectionDriver(DriverContext context, int connection) {
        this.context = context;
        this.connection = connection;
        this.check = context.checkFor(connection);
        this.nextReplyEnd = context.size();
    }

    /** Starts sending, unless the connection was lost meanwhile; from any thread. */
    final void start() {
        channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                begin();
            }
        });
    }

    /**
     * Stops sending and half-closes once everything written is out; from any thread. The server
     * answers what it still has and closes, which closes the connection here too.
     */
    final void finish() {
        channel.eventLoop().execute(() -> {
            ending = true;
            stopSending();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
                if (written.isSuccess()) {
                    shutdownOutput();
                }
            });
        });
    }

    /** The end of what this side sends: with TLS, its close_notify first, for the server to read as the end. */
    private void shutdownOutput() {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null) {
            ((DuplexChannel) channel).shutdownOutput();
        } else {
            tls.closeOutbound().addListener(sent -> ((DuplexChannel) channel).shutdownOutput());
        }
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context.stats().connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Taken before verifying, so that the check's time does not count as the server's.
        long now = System.nanoTime();
        ByteBuf reply = (ByteBuf) msg;
        int length = reply.readableBytes();
        try {
            check.check(reply, received);
        } finally {
            reply.release();
        }
        received += length;
        context.stats().received(length);
        while (received >= nextReplyEnd) {
            nextReplyEnd += context.size();
            context.stats().replied();
            replied(now);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !ending) {
            writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        context.stats().connectionClosed();
        if (!ending && !lost) {
            context.stats().closedEarly(connection);
        }
        stopSending();
        closed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!lost) {
            lost = true;
            context.stats().lost(connection, Reasons.describe(cause));
        }
        ctx.close();
    }

    /** Called on the event loop once the load starts. */
    protected abstract void begin();

    /** Called on the event loop for each complete reply, with the time its last byte came in. */
    protected abstract void replied(long now);

    /** Called on the event loop when the bench stops sending or the connection closes. */
    protected void stopSending() {
    }

    /** Called on the event loop when the connection can take writes again after a pause. */
    protected void writable() {
    }

    /** Called on the event loop once the connection is closed. */
    protected void closed() {
    }

    /** Whether the bench is ending this conversation: send nothing more. */
    protected final boolean ending() {
        return ending;
    }

    /** Closes the connection, as the end of a conversation rather than a failure; on the event loop. */
    final void end() {
        ending = true;
        channel.close();
    }

    /** Queues the next {@code length} bytes of this connection's stream; {@link #flush} sends them. */
    protected final void write(int length) {
        channel.write(context.payload().slice(connection, sent, length), channel.voidPromise());
        sent += length;
    }

    protected final void flush() {
        channel.flush();
    }

    protected final DriverContext context() {
        return context;
    }
}
