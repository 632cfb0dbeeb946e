package dev.shout.server.process;

import dev.shout.server.pipeline.OpenConnections;
import dev.shout.server.pipeline.Traffic;
import dev.shout.server.process.LinkMessage.ArrivedClosed;
import dev.shout.server.process.LinkMessage.Draining;
import dev.shout.server.process.LinkMessage.Heartbeat;
import dev.shout.server.process.LinkMessage.Received;
import dev.shout.server.process.LinkMessage.Released;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

    void startHeartbeats(OpenConnections connections, Traffic traffic) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        link.eventLoop().scheduleAtFixedRate(() -> send(new Heartbeat(connections.size(), traffic.received(),
                        traffic.sent(), memory.getHeapMemoryUsage().getUsed())),
                0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Acknowledges one descriptor; the caller flushes once it has read them all. */
    ChannelFuture received() {
        return link.write(new Received().encode(link.alloc()));
    }

    /** Acknowledges a descriptor whose connection was gone on arrival; flushed with the others. */
    void arrivedClosed() {
        link.write(new ArrivedClosed().encode(link.alloc()), link.voidPromise());
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
            link.write(new Released(client).encode(link.alloc()), link.voidPromise());
        }
        link.flush();
    }

    void draining() {
        link.writeAndFlush(new Draining().encode(link.alloc())).syncUninterruptibly();
    }

    private void send(LinkMessage message) {
        link.writeAndFlush(message.encode(link.alloc()), link.voidPromise());
    }
}
