package dev.shout.server.process;

import dev.shout.server.process.LinkMessage.Type;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * The worker's side of its reports to the master. Closed connections are reported in batches,
 * one flush per event-loop turn, so that a burst of closes costs one write.
 */
final class LinkReporter {

    static final long HEARTBEAT_MILLIS = 500;

    private final Channel link;
    private final Queue<InetAddress> unreportedReleases = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    LinkReporter(Channel link) {
        this.link = link;
    }

    void startHeartbeats(IntSupplier openConnections) {
        link.eventLoop().scheduleAtFixedRate(
                () -> send(Type.HEARTBEAT, openConnections.getAsInt()), 0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Acknowledges one descriptor; flushed at once, since the connection waits for it. */
    ChannelFuture received() {
        return link.writeAndFlush(new LinkMessage(Type.RECEIVED, 1).encode(link.alloc()));
    }

    /** Called from any event loop each time a connection from {@code client} ends. */
    void released(InetAddress client) {
        unreportedReleases.add(client);
        if (flushScheduled.compareAndSet(false, true)) {
            link.eventLoop().execute(this::reportReleases);
        }
    }

    private void reportReleases() {
        flushScheduled.set(false);
        for (InetAddress client; (client = unreportedReleases.poll()) != null; ) {
            link.write(new LinkMessage(Type.RELEASED, 1, client).encode(link.alloc()), link.voidPromise());
        }
        link.flush();
    }

    void draining() {
        link.writeAndFlush(new LinkMessage(Type.DRAINING, 0).encode(link.alloc())).syncUninterruptibly();
    }

    private void send(Type type, int count) {
        link.writeAndFlush(new LinkMessage(type, count).encode(link.alloc()), link.voidPromise());
    }
}
