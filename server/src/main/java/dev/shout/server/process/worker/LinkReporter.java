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
 * The worker's side of its reports to the master, on the link's framed socket. Reports come
 * from any thread and go out in batches, one write for many. What a client waits for (a lease
 * request) goes in the link loop's next turn; what only keeps the master's books (a closed
 * connection, an accepted client) waits up to {@link #BOOKKEEPING_DELAY_MICROS} for company, or
 * for the next flush of the link, so that under churn the master and the link's thread wake
 * once for several connections instead of once for each.
 */
final class LinkReporter {

    static final long HEARTBEAT_MILLIS = 500;
    /**
     * How long a bookkeeping report may wait: short beside anything the master does with it (a
     * permit freed a millisecond later; {@link dev.shout.server.process.AcceptBalance}'s leads are
     * tens of clients), long enough to gather several at thousands of connections a second.
     */
    static final long BOOKKEEPING_DELAY_MICROS = 1_000;

    private final Channel link;
    private final Queue<LinkMessage> unreported = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean batchNext = new AtomicBoolean();
    private final AtomicBoolean batchLater = new AtomicBoolean();

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

    /** Flushes what was written, and with it every report still waiting; on the link's loop. */
    void flush() {
        writeUnreported();
        link.flush();
    }

    /** Called from any event loop each time connection {@code id} ends. */
    void released(long id) {
        reportLater(new Released(id));
    }

    /** Sends {@code message}, which a client waits for, in the next turn of the link's loop; from any thread. */
    void report(LinkMessage message) {
        unreported.add(message);
        if (batchNext.compareAndSet(false, true)) {
            link.eventLoop().execute(this::reportBatch);
        }
    }

    /** Sends {@code message}, which only keeps the master's books, within the bookkeeping delay; from any thread. */
    void reportLater(LinkMessage message) {
        unreported.add(message);
        if (batchLater.compareAndSet(false, true)) {
            link.eventLoop().schedule(this::reportBatch, BOOKKEEPING_DELAY_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    private void reportBatch() {
        batchNext.set(false);
        batchLater.set(false);
        if (writeUnreported()) {
            link.flush();
        }
    }

    /** Writes the reports waiting; true if there were any. */
    private boolean writeUnreported() {
        boolean wrote = false;
        for (LinkMessage message; (message = unreported.poll()) != null; wrote = true) {
            link.write(message, link.voidPromise());
        }
        return wrote;
    }

    void draining() {
        link.writeAndFlush(new Draining()).syncUninterruptibly();
    }

    void send(LinkMessage message) {
        link.writeAndFlush(message, link.voidPromise());
    }
}
