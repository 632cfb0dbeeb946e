package dev.shout.server.process.worker;

import dev.shout.server.pipeline.ConnectionMigration;
import dev.shout.server.pipeline.ConnectionState;
import dev.shout.server.process.link.LinkMessage.MigrateConnection;
import dev.shout.server.process.link.LinkMessage.StayedBehind;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A retiring worker's side of a rolling restart that keeps every connection (issue #11): when
 * the master says its replacement is ready, each connection is readied ({@link ConnectionMigration})
 * and sent back to the master with its state, descriptor and message on the link's two sockets as
 * the master sends them; this worker closes its copy only once told the replacement adopted it.
 * A connection that cannot move stays and is drained with the rest. One summary line says how
 * it went.
 *
 * <p>Connections are readied a window at a time ({@link #READYING_WINDOW}), not all at once: a
 * readied connection is no longer served here, so if the patience runs out (a starved machine,
 * a replacement that stops adopting) only the window is at stake, and every connection not yet
 * readied stays and is drained as if it could not move.
 *
 * <p>Sending runs on the link's loop, which owns every field but the counts.
 */
final class ConnectionMigrator {

    private static final Logger log = LoggerFactory.getLogger(ConnectionMigrator.class);
    private static final AttributeKey<Long> ID = AttributeKey.valueOf(ConnectionMigrator.class, "id");
    /**
     * At most this many sent and not yet adopted, as the master limits what it sends a worker:
     * Netty cannot retry a descriptor whose send would block.
     */
    private static final int MAX_IN_FLIGHT = 64;
    /** At most this many being readied, readied and waiting, or in flight together. */
    static final int READYING_WINDOW = MAX_IN_FLIGHT;

    private final Channel messages;
    private final Channel descriptors;
    private final Duration timeout;
    private final Runnable onRequest;
    private final Deque<Channel> unreadied = new ArrayDeque<>();
    private int readying;
    private boolean abandoned;
    private final Deque<Ready> ready = new ArrayDeque<>();
    private final Map<Long, Channel> inFlight = new HashMap<>();
    private final AtomicInteger moved = new AtomicInteger();
    private final AtomicInteger stayed = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private long nextSequence;
    private volatile boolean requested;
    private volatile CountDownLatch unsettled = new CountDownLatch(0);

    /**
     * @param timeout {@code --migration-timeout}: how long a connection's owed bytes may take to reach the kernel
     * @param onRequest called on the link's loop when the master asks, to end serving as usual
     */
    ConnectionMigrator(Channel messages, Channel descriptors, Duration timeout, Runnable onRequest) {
        this.messages = messages;
        this.descriptors = descriptors;
        this.timeout = timeout;
        this.onRequest = onRequest;
    }

    /** Before it is served: the master's id of {@code connection}, which moving it needs. */
    static void identify(Channel connection, long id) {
        connection.attr(ID).set(id);
    }

    /** The master says the replacement is ready. */
    void requested() {
        requested = true;
        onRequest.run();
    }

    boolean wasRequested() {
        return requested;
    }

    /** Moves every connection of {@code connections} that can move; returns once each moved or stayed, or after {@code patience}. */
    void migrateAll(List<Channel> connections, Duration patience) {
        CountDownLatch settled = new CountDownLatch(connections.size());
        unsettled = settled;
        log.info("moving {} connections to the new worker", connections.size());
        messages.eventLoop().execute(() -> {
            unreadied.addAll(connections);
            readyMore();
        });
        try {
            if (!settled.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} connections neither moved nor stayed within {} ms", settled.getCount(), patience.toMillis());
                messages.eventLoop().submit(this::abandonUnsettled).syncUninterruptibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("moved {} connections to the new worker; {} drain here instead (half-closed, TLS, a PROXY header"
                + " unread, or owed bytes not in the kernel within --migration-timeout); {} lost",
                moved.get(), stayed.get(), lost.get());
    }

    /**
     * The replacement adopted connection {@code id}: this worker's copy goes. It counts as moved
     * once that copy is closed, so that the drain after the moves finds only the connections that
     * stayed.
     */
    void handedOver(long id) {
        Channel connection = inFlight.remove(id);
        if (connection == null) {
            return;
        }
        ConnectionMigration.closeMovedCopy(connection);
        // After the listener that takes it off the open connections, added when it opened.
        connection.closeFuture().addListener(closed -> {
            moved.incrementAndGet();
            unsettled.countDown();
        });
        sendReady();
        readyMore();
    }

    /** Readies connections while the window has room. */
    private void readyMore() {
        while (!abandoned && !unreadied.isEmpty() && readying + ready.size() + inFlight.size() < READYING_WINDOW) {
            Channel connection = unreadied.poll();
            long id = connection.attr(ID).get();
            readying++;
            ConnectionMigration.prepare(connection, timeout).whenComplete((state, failure) ->
                    messages.eventLoop().execute(() -> {
                        readying--;
                        prepared(connection, id, state, failure);
                        readyMore();
                    }));
        }
    }

    /**
     * Past its patience. A connection never readied stays, served and then drained here. One
     * readied is served here no more, and must not be drained, which would shut the socket
     * another worker may serve: one already sent lives on with the master; one not yet sent,
     * or still being readied, is lost with this copy.
     */
    private void abandonUnsettled() {
        abandoned = true;
        for (Channel connection; (connection = unreadied.poll()) != null; ) {
            stay(connection.attr(ID).get());
        }
        inFlight.values().forEach(ConnectionMigration::closeMovedCopy);
        inFlight.clear();
        for (Ready unsent; (unsent = ready.poll()) != null; ) {
            lose(unsent.connection());
        }
    }

    private void prepared(Channel connection, long id, Optional<ConnectionState> state, Throwable failure) {
        if (failure != null) {
            log.warn("{} could not be readied to move ({}): closing it", connection, failure.toString());
            lose(connection);
        } else if (state.isEmpty()) {
            stay(id);
        } else if (abandoned) {
            lose(connection);
        } else {
            ready.add(new Ready(connection, id, state.get()));
            sendReady();
        }
    }

    private void sendReady() {
        if (ready.isEmpty() || inFlight.size() >= MAX_IN_FLIGHT) {
            return;
        }
        while (!ready.isEmpty() && inFlight.size() < MAX_IN_FLIGHT) {
            Ready next = ready.poll();
            inFlight.put(next.id(), next.connection());
            messages.write(new MigrateConnection(nextSequence++, next.id(), next.state()), messages.voidPromise());
            descriptors.write(new FileDescriptor(((EpollSocketChannel) next.connection()).fd().intValue()))
                    .addListener((ChannelFuture sent) -> {
                        if (!sent.isSuccess() && inFlight.remove(next.id()) != null) {
                            log.warn("{} could not be sent to the master ({}): closing it", next.connection(),
                                    sent.cause().toString());
                            lose(next.connection());
                        }
                    });
        }
        messages.flush();
        descriptors.flush();
    }

    /** Connection {@code id} is served and drained here: the master keeps its permit with this worker. */
    private void stay(long id) {
        stayed.incrementAndGet();
        messages.writeAndFlush(new StayedBehind(id), messages.voidPromise());
        unsettled.countDown();
    }

    private void lose(Channel connection) {
        lost.incrementAndGet();
        connection.close();
        unsettled.countDown();
    }

    private record Ready(Channel connection, long id, ConnectionState state) {
    }
}
