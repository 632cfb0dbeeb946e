package dev.shout.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Moving a live client connection out of this process and into another (issue #11), as far as its
 * pipeline is concerned: readying it here ({@link #prepare}), and building it there on from the
 * state it left with ({@link #resume}). Sending its descriptor is the process's business.
 *
 * <p>Readying stops reading, so that everything read is transformed already; then waits until
 * everything owed is written to the kernel, whose buffers travel with the socket; then takes the
 * state and deregisters the channel, which leaves its descriptor open and untouched. Closing that
 * copy later closes only this process's descriptor: nothing here ever calls {@code shutdown()},
 * which would act on the socket both processes share.
 */
public final class ConnectionMigration {

    private static final AttributeKey<ConnectionState> RESUMED = AttributeKey.valueOf(ConnectionMigration.class, "resumed");
    private static final AttributeKey<Boolean> MOVED = AttributeKey.valueOf(ConnectionMigration.class, "moved");

    private ConnectionMigration() {
    }

    /**
     * Readies {@code connection} to move. Completes, on its event loop, with its state, the channel
     * then deregistered and its descriptor the caller's to send; or empty when it cannot move, and
     * is served on here as if nothing happened: over TLS, still reading its PROXY header,
     * half-closed or ending, or with bytes owed that did not reach the kernel within {@code timeout}
     * (a client that stopped reading).
     */
    public static CompletableFuture<Optional<ConnectionState>> prepare(Channel connection, Duration timeout) {
        CompletableFuture<Optional<ConnectionState>> ready = new CompletableFuture<>();
        connection.eventLoop().execute(() -> new Readying(connection, ready).start(timeout));
        return ready;
    }

    /** Closes this process's copy of a connection another process now serves: no {@code Released}, no shutdown. */
    public static ChannelFuture closeMovedCopy(Channel connection) {
        connection.attr(MOVED).set(true);
        return connection.close();
    }

    /** True for a connection closed here because another process serves it now. */
    public static boolean movedAway(Channel connection) {
        // hasAttr first: attr() would add an attribute to every connection that never moved.
        return connection.hasAttr(MOVED) && Boolean.TRUE.equals(connection.attr(MOVED).get());
    }

    /** Before its pipeline is built: {@code connection} goes on from where another process left it. */
    public static void resume(Channel connection, ConnectionState state) {
        connection.attr(RESUMED).set(state);
    }

    static Optional<ConnectionState> resumed(Channel connection) {
        // hasAttr first: attr() would add an attribute to every connection that did not move here.
        return connection.hasAttr(RESUMED) ? Optional.ofNullable(connection.attr(RESUMED).get()) : Optional.empty();
    }

    /**
     * One connection being readied, and the gate it puts first in the pipeline meanwhile: writes
     * draining make the channel writable again, which must not turn reading back on (or reach the
     * timers) before the move is done or given up.
     */
    private static final class Readying extends ChannelInboundHandlerAdapter {

        private final Channel connection;
        private final ChannelPipeline pipeline;
        private final CompletableFuture<Optional<ConnectionState>> ready;
        private TransformHandler transform;
        private ScheduledFuture<?> deadline;

        Readying(Channel connection, CompletableFuture<Optional<ConnectionState>> ready) {
            this.connection = connection;
            this.pipeline = connection.pipeline();
            this.ready = ready;
        }

        void start(Duration timeout) {
            transform = pipeline.get(TransformHandler.class);
            if (!movable()) {
                ready.complete(Optional.empty());
                return;
            }
            pipeline.addFirst(this);
            connection.config().setAutoRead(false);
            deadline = connection.eventLoop().schedule(this::giveUp, timeout.toNanos(), TimeUnit.NANOSECONDS);
            connection.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(this::written);
        }

        private boolean movable() {
            return connection instanceof DuplexChannel duplex && duplex.isActive() && !duplex.isInputShutdown()
                    && !duplex.isOutputShutdown() && transform != null && !transform.ending()
                    && pipeline.get(SslHandler.class) == null && pipeline.get(ProxyHeaderHandler.class) == null
                    && pipeline.get(HAProxyMessageDecoder.class) == null;
        }

        /** Everything owed before reading stopped is in the kernel now. */
        private void written(io.netty.util.concurrent.Future<? super Void> flushed) {
            if (ready.isDone()) {
                return; // given up already
            }
            deadline.cancel(false);
            if (!flushed.isSuccess() || !connection.isActive() || transform.ending()) {
                giveUp();
                return;
            }
            ByteBuf held = transform.takeHeld(pipeline.context(transform));
            byte[] heldBytes = ByteBufUtil.getBytes(held);
            held.release();
            // Its idle timer must not fire on a connection served elsewhere.
            ConnectionState state = new ConnectionState(heldBytes, pipeline.get(ConnectionActivity.class).leave());
            connection.deregister().addListener(deregistered -> {
                if (deregistered.isSuccess()) {
                    ready.complete(Optional.of(state));
                } else {
                    ready.completeExceptionally(deregistered.cause());
                }
            });
        }

        /** It stays: reading, backpressure and the stalled-reader timer pick up where they were. */
        private void giveUp() {
            if (ready.isDone()) {
                return;
            }
            pipeline.remove(this);
            ready.complete(Optional.empty());
            // What the gate kept from the handlers behind it: they decide reading again from here.
            pipeline.fireChannelWritabilityChanged();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // Held back until the move is done or given up (see giveUp).
        }
    }
}
