package dev.shout.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.time.Duration;

/**
 * What one connection has done: the bytes it received and was sent, and when it last did
 * something, which {@code --idle-timeout} watches. Plain fields, written on the connection's
 * event loop only, so a message costs two additions and a read batch one clock reading; the
 * totals reach {@link Traffic} once per read batch and at the close, and the idle timer is
 * its event loop's ({@link IdleConnections}), not a task per connection. These fields are the
 * connection's whole byte count and idle clock.
 */
final class ConnectionActivity extends ChannelDuplexHandler {

    private final Traffic traffic;
    /** The event loop's idle connections; null with {@code --idle-timeout 0}. */
    private final IdleConnections idle;
    /** How long the connection had been idle in the process that served it before (issue #11). */
    private final Duration alreadyIdle;
    private ChannelHandlerContext ctx;
    private long received;
    private long sent;
    private long receivedCounted;
    private long sentCounted;

    /** When the connection last read something or its client took bytes it was owed (the loop's ticker). */
    long lastActiveNanos;
    /** What the client was owed at the last activity or look of the idle timer: a change since is activity too. */
    long owedWhenSeen;
    /** The neighbours in {@link IdleConnections}'s list, which alone writes them. */
    ConnectionActivity previous;
    ConnectionActivity next;
    boolean listed;

    ConnectionActivity(Traffic traffic, IdleConnections idle, Duration alreadyIdle) {
        this.traffic = traffic;
        this.idle = idle;
        this.alreadyIdle = alreadyIdle;
    }

    Channel channel() {
        return ctx.channel();
    }

    long received() {
        return received;
    }

    long sent() {
        return sent;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        traffic.connectionOpened();
        if (idle != null) {
            idle.add(this, alreadyIdle);
        }
    }

    /**
     * For a connection moving to another process: stops its idle timer here, and says how long
     * it has been idle, which the next process counts on from; zero with no timer.
     */
    Duration leave() {
        return idle == null ? Duration.ZERO : idle.leave(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received += ((ByteBuf) msg).readableBytes();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        sent += ((ByteBuf) msg).readableBytes();
        ctx.write(msg, promise);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
        // After the transform's flush: what this batch sent is counted with it, and what the
        // kernel did not take yet is what the client is owed.
        if (idle != null) {
            idle.touched(this);
        }
        count();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        count();
        if (idle != null) {
            idle.remove(this);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (idle != null) {
            idle.remove(this);
        }
    }

    /** Adds what the connection carried since the last call to the process's totals. */
    private void count() {
        traffic.add(received - receivedCounted, sent - sentCounted);
        receivedCounted = received;
        sentCounted = sent;
    }
}
