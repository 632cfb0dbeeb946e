package dev.shout.server.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client connections a process serves, so that it can count them and, on shutdown,
 * drain them: serve on until clients leave, then send what is owed and close the rest.
 */
public final class OpenConnections {

    private static final Logger log = LoggerFactory.getLogger(OpenConnections.class);
    /** The longest part of the shutdown timeout kept for sending owed bytes after clients were told. */
    private static final Duration MAX_FLUSH_WINDOW = Duration.ofSeconds(2);

    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Consumer<Channel> onClosed;
    /** One listener for every connection's close, not a lambda object per connection. */
    private final ChannelFutureListener closedListener = future -> closed(future.channel());
    private int open;

    /** @param onClosed told of each connection that closes */
    public OpenConnections(Consumer<Channel> onClosed) {
        this.onClosed = onClosed;
    }

    public OpenConnections() {
        this(closed -> { });
    }

    void add(Channel ch) {
        synchronized (this) {
            open++;
        }
        channels.add(ch);
        ch.closeFuture().addListener(closedListener);
    }

    private void closed(Channel ch) {
        synchronized (this) {
            --open;
            notifyAll();
        }
        onClosed.accept(ch);
    }

    public synchronized int size() {
        return open;
    }

    /** The connections open now, for moving them to another process. */
    public List<Channel> channels() {
        return new ArrayList<>(channels);
    }

    /**
     * Ends every connection within {@code timeout}. Clients get most of it to finish and leave
     * on their own; then each is sent what it is owed and its output is shut; whatever is
     * still open at the deadline is closed.
     */
    public void drain(Duration timeout) {
        long start = System.nanoTime();
        Duration flushWindow = timeout.dividedBy(2).compareTo(MAX_FLUSH_WINDOW) < 0
                ? timeout.dividedBy(2) : MAX_FLUSH_WINDOW;
        long flushAt = start + timeout.minus(flushWindow).toNanos();
        long deadline = start + timeout.toNanos();
        if (awaitEmpty(flushAt)) {
            return;
        }
        log.info("{} connections still open: sending what they are owed, then closing", size());
        channels.forEach(ch -> ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
        if (awaitEmpty(deadline)) {
            return;
        }
        log.warn("closing {} connections that did not finish within the shutdown timeout", size());
        channels.close().awaitUninterruptibly(MAX_FLUSH_WINDOW.toMillis());
    }

    private synchronized boolean awaitEmpty(long deadlineNanos) {
        long left;
        while (open > 0 && (left = deadlineNanos - System.nanoTime()) > 0) {
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return open == 0;
            }
        }
        return open == 0;
    }
}
