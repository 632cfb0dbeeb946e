package dev.shout.server.process;

import dev.shout.server.metrics.MetricsSource;
import dev.shout.server.pipeline.AddressLimiter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's acceptor: takes each accepted connection before it is registered anywhere and
 * passes its descriptor to the least-loaded ready worker. While no worker can take one, it
 * stops accepting, so clients wait in the kernel's backlog rather than being refused.
 *
 * <p>Lives in the server channel's pipeline and, like all master state, runs on the master's
 * one event loop.
 */
final class Dispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int MAX_ATTEMPTS = 3;

    private final WorkerPool pool;
    private final AddressLimiter addressLimiter;
    private final int maxConnections;
    /** Accepted, not yet handed off: at most a read's worth, since accepting pauses when full. */
    private final Deque<Accepted> waiting = new ArrayDeque<>();
    /** Links written to since the last flush; flushed once per batch, not per descriptor. */
    private final Set<Channel> unflushedLinks = new LinkedHashSet<>();
    private Channel serverChannel;
    private long handOffsSucceeded;
    private long handOffsFailed;

    Dispatcher(WorkerPool pool, AddressLimiter addressLimiter, int maxConnections) {
        this.pool = pool;
        this.addressLimiter = addressLimiter;
        this.maxConnections = maxConnections;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        serverChannel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        EpollSocketChannel connection = (EpollSocketChannel) msg;
        if (!addressLimiter.tryAcquire(WorkerProcess.clientOf(connection))) {
            connection.unsafe().closeForcibly();
            return;
        }
        waiting.add(new Accepted(connection, 0));
        dispatchWaiting();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushLinks();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // accept(2) failing (EMFILE, say) must not stop the server; it is retried on the next read.
        log.warn("accept failed: {}", cause.toString());
    }

    /** Called whenever a worker may have room: it linked, reported closes or acknowledged descriptors. */
    void capacityChanged() {
        dispatchWaiting();
        flushLinks();
    }

    /** Connections a worker never acknowledged before its link closed: untouched, so they go to another. */
    void reclaim(List<EpollSocketChannel> connections) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            waiting.addFirst(new Accepted(connections.get(i), 0));
        }
        if (!connections.isEmpty()) {
            log.info("{} connections sent to a worker that is gone go to another", connections.size());
        }
        capacityChanged();
    }

    MetricsSource.HandOffs handOffs() {
        return new MetricsSource.HandOffs(handOffsSucceeded, handOffsFailed);
    }

    /** Accepted connections not yet handed to a worker. */
    int waiting() {
        return waiting.size();
    }

    /** On shutdown: connections never handed to a worker are closed. */
    void closeWaiting() {
        if (!waiting.isEmpty()) {
            log.info("closing {} connections that were waiting for a worker", waiting.size());
        }
        waiting.forEach(accepted -> close(accepted.connection()));
        waiting.clear();
    }

    private void dispatchWaiting() {
        while (!waiting.isEmpty() && hasRoom()) {
            WorkerProcess worker = pool.pick();
            if (worker == null) {
                break;
            }
            handOff(waiting.poll(), worker);
        }
        serverChannel.config().setAutoRead(waiting.isEmpty() && hasRoom() && pool.anyHasRoom());
    }

    private boolean hasRoom() {
        return pool.openConnections() < maxConnections;
    }

    private void handOff(Accepted accepted, WorkerProcess worker) {
        // Our copy of the descriptor is closed only when the worker acknowledges it (see
        // WorkerProcess#acknowledged): closing it before sendmsg ran would fail with EBADF.
        worker.sent(accepted.connection());
        Channel link = worker.link();
        link.write(new FileDescriptor(accepted.connection().fd().intValue()))
                .addListener((ChannelFuture written) -> handedOff(accepted, worker, written));
        unflushedLinks.add(link);
    }

    private void handedOff(Accepted accepted, WorkerProcess worker, ChannelFuture written) {
        EpollSocketChannel connection = accepted.connection();
        if (written.isSuccess()) {
            handOffsSucceeded++;
            return;
        }
        handOffsFailed++;
        worker.sendFailed(connection);
        pool.linkFailed(worker);
        if (accepted.failures() + 1 < MAX_ATTEMPTS && serverChannel.isOpen()) {
            log.warn("handing {} to {} failed ({}); trying another worker",
                    connection.remoteAddress(), worker, written.cause().toString());
            waiting.addFirst(new Accepted(connection, accepted.failures() + 1));
            capacityChanged();
        } else {
            log.error("closing {}: no worker could take it ({})", connection.remoteAddress(),
                    written.cause().toString());
            close(connection);
        }
    }

    private void close(EpollSocketChannel connection) {
        addressLimiter.release(WorkerProcess.clientOf(connection));
        connection.unsafe().closeForcibly();
    }

    /** An accepted connection and how many hand-offs of it failed. */
    private record Accepted(EpollSocketChannel connection, int failures) {
    }

    private void flushLinks() {
        unflushedLinks.forEach(Channel::flush);
        unflushedLinks.clear();
    }
}
