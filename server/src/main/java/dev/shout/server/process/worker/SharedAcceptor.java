package dev.shout.server.process.worker;

import dev.shout.server.admission.Admission;
import dev.shout.server.admission.ConnectionAdmission;
import dev.shout.server.pipeline.ConnectionMigration;
import dev.shout.server.process.link.LinkMessage.Accepted;
import dev.shout.server.process.link.LinkMessage.AcceptUntil;
import dev.shout.server.process.link.LinkMessage.LeaseAnswer;
import dev.shout.server.process.link.LinkMessage.LeaseRequest;
import dev.shout.server.process.link.LinkMessage.Released;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's acceptor with {@code --accept workers}: accepts from the listening socket the
 * master shares and serves each client with the common pipeline. A client is admitted under a
 * lease of the master's ledger: one kept from an earlier client of the same address if there is
 * one ({@link LeaseCache}), so that the common case asks nobody, else one requested from the
 * master, the client waiting unread meanwhile; refused means the address holds its limit.
 *
 * <p>It stops accepting — clients then wait in the one backlog, for another worker or for later —
 * while it serves {@code --connections-per-worker} (nginx's {@code ngx_accept_disabled}), and
 * once it has taken as many clients as the master allows: the server is full, or this worker is
 * ahead of the others.
 *
 * <p>All its state lives on one event loop; the link's messages and the clients' closes come to it.
 */
final class SharedAcceptor extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SharedAcceptor.class);

    private final EventLoopGroup loops;
    private final EventLoop loop;
    private final ChannelHandler pipelineInitializer;
    private final LinkReporter reporter;
    private final RemoteAdmission admission;
    private final ArrivingConnections arriving;
    private final int connectionsPerWorker;
    private final LeaseCache kept = new LeaseCache();
    /** Accepted, waiting for the master's answer to their lease request, by lease. */
    private final Map<Long, EpollSocketChannel> waiting = new HashMap<>();
    /** Leases whose client a PROXY header named: they count for that client now, so they go back at close. */
    private final Set<Long> readmitted = ConcurrentHashMap.newKeySet();
    private EpollServerSocketChannel listening;
    private long nextLease = 1;
    private int serving;
    /** Clients taken from the backlog since this worker started. */
    private long taken;
    /** The master's word: take clients while {@link #taken} is below this. */
    private long takeUntil;
    /** The master's ledger is full: a lease whose client leaves goes back at once, for a waiting client. */
    private boolean serverFull;
    private boolean stopped;

    SharedAcceptor(EventLoopGroup loops, ChannelHandler pipelineInitializer, LinkReporter reporter,
            RemoteAdmission admission, ArrivingConnections arriving, int connectionsPerWorker) {
        this.loops = loops;
        this.loop = loops.next();
        this.pipelineInitializer = pipelineInitializer;
        this.reporter = reporter;
        this.admission = admission;
        this.arriving = arriving;
        this.connectionsPerWorker = connectionsPerWorker;
    }

    /** The master's listening socket arrived: accept from it, unless already stopped. */
    void listen(FileDescriptor descriptor) {
        loop.execute(() -> {
            EpollServerSocketChannel channel = new EpollServerSocketChannel(descriptor.intValue());
            if (stopped) {
                channel.unsafe().closeForcibly();
                return;
            }
            listening = channel;
            channel.config().setAutoRead(false);
            channel.pipeline().addLast(this);
            loop.register(channel).addListener(registered -> {
                if (registered.isSuccess()) {
                    log.info("accepting from the listening socket the master shares");
                    loop.scheduleAtFixedRate(this::giveBackStale, LinkReporter.HEARTBEAT_MILLIS,
                            LinkReporter.HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
                    acceptIfRoom();
                } else {
                    log.error("cannot accept from the master's listening socket", registered.cause());
                    channel.unsafe().closeForcibly();
                }
            });
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        EpollSocketChannel client = (EpollSocketChannel) msg;
        InetAddress address = client.remoteAddress().getAddress();
        taken++;
        arriving.arriving();
        OptionalLong lease = kept.reuse(address);
        if (lease.isPresent()) {
            serve(client, lease.getAsLong());
        } else {
            long requested = nextLease++;
            waiting.put(requested, client);
            reporter.report(new LeaseRequest(requested, address));
        }
        acceptIfRoom();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // accept(2) failing (EMFILE, say) must not stop the worker; it is retried on the next read.
        log.warn("accept failed: {}", cause.toString());
    }

    /** The master answered a lease request (on the link's loop). */
    void answered(LeaseAnswer answer) {
        loop.execute(() -> {
            EpollSocketChannel client = waiting.remove(answer.lease());
            if (client == null) {
                return;
            }
            if (answer.granted()) {
                serve(client, answer.lease());
            } else {
                refuse(client);
            }
            acceptIfRoom();
        });
    }

    /** The master says how many to take (on the link's loop); a full server has the kept leases back. */
    void told(AcceptUntil until) {
        loop.execute(() -> {
            takeUntil = until.taken();
            serverFull = until.serverFull();
            if (serverFull) {
                kept.takeAll().forEach(this::giveBack);
            }
            acceptIfRoom();
        });
    }

    /**
     * Stops accepting, for a drain: the socket stays open in the master and the other workers.
     * Clients waiting for a lease are still served once it comes.
     */
    Future<?> stop() {
        return loop.submit(() -> {
            stopped = true;
            if (listening != null) {
                listening.close();
            }
            kept.takeAll().forEach(this::giveBack);
        });
    }

    /** The link is gone: nobody will answer the clients still waiting for a lease. */
    void linkClosed() {
        stop();
        loop.execute(() -> {
            waiting.values().forEach(this::refuse);
            waiting.clear();
        });
    }

    private void serve(EpollSocketChannel client, long lease) {
        InetAddress address = client.remoteAddress().getAddress();
        serving++;
        reporter.reportLater(new Accepted(lease));
        ConnectionAdmission.attach(client, readmission(lease));
        ConnectionMigrator.identify(client, lease);
        client.pipeline().addLast(pipelineInitializer);
        loops.next().register(client).addListener(registered -> {
            arriving.arrived();
            if (registered.isSuccess()) {
                client.closeFuture().addListener(closed -> loop.execute(() -> ended(address, lease,
                        ConnectionMigration.movedAway(client))));
            } else {
                log.warn("could not serve an accepted client", registered.cause());
                client.unsafe().closeForcibly();
                loop.execute(() -> ended(address, lease, false));
            }
        });
    }

    private void refuse(EpollSocketChannel client) {
        client.unsafe().closeForcibly();
        arriving.arrived();
    }

    /** @param movedAway the client lives on in another worker, and the lease's permit went with it */
    private void ended(InetAddress address, long lease, boolean movedAway) {
        serving--;
        boolean namedByHeader = readmitted.remove(lease);
        // A client that moved to another worker took the lease's permit along: it is not this worker's any more.
        if (!movedAway && (namedByHeader || stopped || serverFull)) {
            giveBack(lease);
        } else if (!movedAway) {
            kept.keep(address, lease);
        }
        acceptIfRoom();
    }

    /** Admission again under the client a PROXY header names, asked of the master under the lease's id. */
    private Admission readmission(long lease) {
        Admission remote = admission.forConnection(lease);
        return client -> {
            readmitted.add(lease);
            return remote.acquire(client);
        };
    }

    private void giveBackStale() {
        kept.takeStale().forEach(this::giveBack);
    }

    private void giveBack(long lease) {
        reporter.reportLater(new Released(lease));
    }

    private void acceptIfRoom() {
        if (listening != null && listening.isOpen()) {
            listening.config().setAutoRead(!stopped && taken < takeUntil
                    && serving + waiting.size() < connectionsPerWorker);
        }
    }
}
