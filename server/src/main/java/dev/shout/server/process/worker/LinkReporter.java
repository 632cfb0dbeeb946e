package dev.shout.server.process.worker;

import dev.shout.server.pipeline.OpenConnections;
import dev.shout.server.pipeline.Refusals;
import dev.shout.server.pipeline.TimedOutConnections;
import dev.shout.server.pipeline.TimedOutConnections.Cause;
import dev.shout.server.pipeline.Traffic;
import dev.shout.server.process.link.LinkMessage;
import dev.shout.server.process.link.LinkMessage.Adopted;
import dev.shout.server.process.link.LinkMessage.ArrivedClosed;
import dev.shout.server.process.link.LinkMessage.Draining;
import dev.shout.server.process.link.LinkMessage.Heartbeat;
import dev.shout.server.process.link.LinkMessage.Hello;
import dev.shout.server.process.link.LinkMessage.Migrated;
import dev.shout.server.process.link.LinkMessage.Refused;
import dev.shout.server.process.link.LinkMessage.Released;
import dev.shout.server.process.link.LinkMessage.TimedOut;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker's side of its reports to the master, on the link's framed socket. Closed
 * connections (and, with {@code --accept workers}, accepted clients and lease requests) are
 * reported in batches, one flush per turn of the link's loop, so that a burst costs one write.
 */
final class LinkReporter {

    static final long HEARTBEAT_MILLIS = 500;

    private final Channel link;
    private final Queue<LinkMessage> unreported = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    LinkReporter(Channel link) {
        this.link = link;
    }

    void hello(String buildVersion) {
        send(new Hello(LinkMessage.PROTOCOL_VERSION, buildVersion));
    }

    void startHeartbeats(OpenConnections connections, Traffic traffic, TimedOutConnections timedOut,
            Refusals refusals) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        link.eventLoop().scheduleAtFixedRate(() -> send(new Heartbeat(connections.size(), traffic.received(),
                        traffic.sent(), memory.getHeapMemoryUsage().getUsed(),
                        new TimedOut(timedOut.total(Cause.IDLE), timedOut.total(Cause.HALF_CLOSED),
                                timedOut.total(Cause.WRITE)),
                        new Refused(refusals.totalsInOrder()))),
                0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Says it holds connection {@code id}; the caller flushes once it has read a batch. */
    ChannelFuture adopted(long id) {
        return link.write(new Adopted(id));
    }

    /** Says it holds connection {@code id}, moved here from another worker; flushed as {@link #adopted} is. */
    ChannelFuture migrated(long id) {
        return link.write(new Migrated(id));
    }

    /** Says connection {@code id} was gone on arrival; flushed with the others. */
    void arrivedClosed(long id) {
        link.write(new ArrivedClosed(id), link.voidPromise());
    }

    void flush() {
        link.flush();
    }

    /** Called from any event loop each time connection {@code id} ends. */
    void released(long id) {
        report(new Released(id));
    }

    /** Sends {@code message} with the others reported in the same turn of the link's loop; from any thread. */
    void report(LinkMessage message) {
        unreported.add(message);
        if (flushScheduled.compareAndSet(false, true)) {
            link.eventLoop().execute(this::reportBatch);
        }
    }

    private void reportBatch() {
        flushScheduled.set(false);
        for (LinkMessage message; (message = unreported.poll()) != null; ) {
            link.write(message, link.voidPromise());
        }
        link.flush();
    }

    void draining() {
        link.writeAndFlush(new Draining()).syncUninterruptibly();
    }

    void send(LinkMessage message) {
        link.writeAndFlush(message, link.voidPromise());
    }
}
