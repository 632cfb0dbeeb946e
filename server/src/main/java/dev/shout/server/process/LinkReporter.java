package dev.shout.server.process;

import dev.shout.server.process.LinkMessage.Type;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The worker's side of its reports to the master. Counts of released connections are summed
 * and sent once per event-loop turn, not one frame per close, so that a burst of closes costs
 * one write.
 */
final class LinkReporter {

    static final long HEARTBEAT_MILLIS = 500;

    private final Channel link;
    private final AtomicInteger unreportedReleases = new AtomicInteger();

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

    /** Called from any event loop each time a connection ends. */
    void released() {
        if (unreportedReleases.getAndIncrement() == 0) {
            link.eventLoop().execute(() -> send(Type.RELEASED, unreportedReleases.getAndSet(0)));
        }
    }

    void draining() {
        link.writeAndFlush(new LinkMessage(Type.DRAINING, 0).encode(link.alloc())).syncUninterruptibly();
    }

    private void send(Type type, int count) {
        link.writeAndFlush(new LinkMessage(type, count).encode(link.alloc()), link.voidPromise());
    }
}
