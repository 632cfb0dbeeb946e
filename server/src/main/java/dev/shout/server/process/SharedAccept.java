package dev.shout.server.process;

import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.admission.Holdings;
import dev.shout.server.admission.Permit;
import dev.shout.server.metrics.MetricsSource;
import dev.shout.server.process.AcceptBalance.Candidate;
import dev.shout.server.process.link.LinkMessage.AcceptUntil;
import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import dev.shout.server.process.link.LinkMessage.LeaseAnswer;
import dev.shout.server.process.link.LinkMessage.HandedOver;
import dev.shout.server.process.link.LinkMessage.LeaseRequest;
import dev.shout.server.process.link.LinkMessage.MigrateConnection;
import dev.shout.server.process.supervision.WorkerHandle;
import dev.shout.server.transport.AcceptedSocket;
import dev.shout.server.transport.HandOffServerChannel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.unix.FileDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's side of {@code --accept workers}: it gives its listening socket to each worker
 * as it becomes ready and never accepts from it itself, but keeps it open, so that clients
 * waiting in the backlog outlive any worker. It grants the workers leases — permits of its one
 * ledger, each one client's place in {@code --max-connections} and in its address's
 * {@code --max-connections-per-ip} — which a worker keeps while it serves the client and for a
 * moment after, to serve the next client from that address without asking again. While the
 * ledger is full, requests wait here and every worker pauses; a worker ahead of the others
 * pauses too ({@link AcceptBalance}): each is told up to which count it may take clients.
 *
 * <p>On a rolling restart a retiring worker sends its live connections back (issue #11): each
 * goes on to the replacement as in the other mode, its lease's permit moved from the old
 * worker's holdings to the new one's, unreleased, under an id of the master's: negative, so
 * that it never meets the leases the new worker numbers from 1 itself.
 *
 * <p>Everything runs on the master's one event loop.
 */
final class SharedAccept implements Acceptance {

    private static final Logger log = LoggerFactory.getLogger(SharedAccept.class);

    private final AdmissionLedger admission;
    private final IntFunction<SlotTotals> totals;
    private final int connectionsPerWorker;
    /** Workers sent the socket, in the order they became ready. */
    private final Map<WorkerHandle, Share> shares = new LinkedHashMap<>();
    /** Lease requests that came while the ledger was full, oldest first. */
    private final Deque<Queued> queued = new ArrayDeque<>();
    /**
     * Clients each slot's workers took from the backlog, for the balance: counted at the lease
     * request, or when a kept lease is used, and kept across a slot's restarts, so that a new
     * worker does not take every client until it has caught up.
     */
    private final Map<Integer, Long> takenBySlot = new HashMap<>();
    /** Moved connections sent on and not yet adopted, by the id they were sent under. */
    private final Map<Long, Moving> moving = new HashMap<>();
    /** Where retiring workers' connections move, and how that went. */
    private final Migrations migrations = new Migrations();
    private long nextMovedId = -1;
    private HandOffServerChannel server;

    SharedAccept(AdmissionLedger admission, IntFunction<SlotTotals> totals, int connectionsPerWorker) {
        this.admission = admission;
        this.totals = totals;
        this.connectionsPerWorker = connectionsPerWorker;
    }

    @Override
    public void listening(HandOffServerChannel server) {
        this.server = server;
    }

    @Override
    public void workerReady(WorkerHandle worker, MasterLink link) {
        shares.put(worker, new Share(worker, link));
        link.sendListeningSocket(server.fd().intValue());
        capacityChanged();
    }

    /** It stops taking clients at once, before its SIGTERM closes its copy of the socket. */
    @Override
    public void workerRetiring(WorkerHandle worker) {
        share(worker).filter(share -> share.taking).ifPresent(share -> {
            share.taking = false;
            share.told = new AcceptUntil(share.taken, share.told.serverFull());
            share.link.send(share.told);
        });
        capacityChanged();
    }

    @Override
    public void linkClosed(WorkerHandle worker) {
        share(worker).ifPresent(share -> share.taking = false);
        capacityChanged();
    }

    @Override
    public void workerGone(WorkerHandle worker, boolean crashed) {
        Share share = shares.remove(worker);
        if (share == null) {
            return;
        }
        queued.removeIf(waiting -> waiting.share() == share);
        migrations.forget(worker);
        // Sent to it and never adopted: lost with it (its holdings release their permits below).
        List.copyOf(moving.keySet()).forEach(id -> settle(worker, id).ifPresent(lost -> migrations.failed()));
        share.holdings.releaseAll();
        // Its leases include some kept unused: what it served is what its last heartbeat said.
        int served = share.link.lastHeartbeat().open();
        if (crashed && served > 0) {
            log.warn("{} connections of {} lost with it", served, worker);
            totals.apply(worker.slot()).lost(served);
        }
        capacityChanged();
    }

    @Override
    public void leaseRequested(WorkerHandle worker, LeaseRequest request) {
        share(worker).ifPresent(share -> {
            // Counted now, not when the worker serves the client: the worker has taken it from
            // the backlog already, and the balance must see that before the answer comes back.
            taken(share);
            share.requested.add(request.lease());
            if (admission.full() || !queued.isEmpty()) {
                queued.add(new Queued(share, request));
                rebalance();
            } else {
                grant(share, request);
            }
        });
    }

    @Override
    public void accepted(WorkerHandle worker, long lease) {
        share(worker).filter(share -> share.holdings.holds(lease)).ifPresent(share -> {
            totals.apply(worker.slot()).opened();
            if (!share.requested.remove(lease)) {
                taken(share);
            }
        });
    }

    /**
     * Sends a connection {@code from} readied to move on to its replacement at once, whatever its
     * load, or to any worker taking clients if that is gone, with the lease's permit.
     */
    @Override
    public void moving(WorkerHandle from, MigrateConnection message, FileDescriptor descriptor) {
        AcceptedSocket connection = AcceptedSocket.moved(descriptor);
        Optional<Share> old = share(from);
        Optional<Permit> permit = old.map(share -> share.holdings.take(message.connection()));
        Optional<Share> to = migrations.replacementOf(from).flatMap(this::share).filter(share -> share.taking)
                .or(() -> shares.values().stream().filter(share -> share.taking).findFirst());
        if (permit.isEmpty() || to.isEmpty()) {
            log.error("{} moved connection {}, which {}: closing it", from, message.connection(),
                    permit.isEmpty() ? "it does not hold" : "no worker can take");
            migrations.failed();
            permit.ifPresent(Permit::release);
            connection.unsafe().closeForcibly();
            old.ifPresent(share -> share.link.send(new HandedOver(message.connection())));
            return;
        }
        long id = nextMovedId--;
        Share share = to.get();
        share.holdings.hold(id, permit.get());
        moving.put(id, new Moving(share.worker, connection, from, message.connection()));
        share.link.sendConnection(connection, id, Optional.of(message.state())).addListener((ChannelFuture written) -> {
            if (!written.isSuccess()) {
                log.error("moving {} to {} failed ({}): closing it", connection, share.worker, written.cause().toString());
                settle(share.worker, id).ifPresent(lost -> {
                    migrations.failed();
                    share.holdings.release(id);
                });
            }
        });
        share.link.flush();
    }

    @Override
    public void migrated(WorkerHandle worker, long id) {
        settle(worker, id).ifPresent(moved -> migrations.moved());
    }

    /** Only a moved connection arrives with a message: it was reset on its way, its permit goes. */
    @Override
    public void arrivedClosed(WorkerHandle worker, long id) {
        settle(worker, id).ifPresent(gone -> share(worker).ifPresent(share -> share.holdings.release(id)));
    }

    @Override
    public Migrations migrations() {
        return migrations;
    }

    /**
     * Moved connection {@code id}, sent to {@code worker}, is adopted or gone: the master's copy
     * closes, and so may the old worker's. Empty if it was not on its way there.
     */
    private Optional<Moving> settle(WorkerHandle worker, long id) {
        Moving settled = moving.get(id);
        if (settled == null || !settled.to().equals(worker)) {
            return Optional.empty();
        }
        moving.remove(id);
        settled.connection().unsafe().closeForcibly();
        share(settled.from()).ifPresent(old -> old.link.send(new HandedOver(settled.idThere())));
        return Optional.of(settled);
    }

    @Override
    public void released(WorkerHandle worker, long id) {
        share(worker).ifPresent(share -> share.holdings.release(id));
    }

    @Override
    public AdmissionAnswer admit(WorkerHandle worker, AdmissionRequest request) {
        boolean admitted = share(worker)
                .filter(share -> share.holdings.readmit(request.connection(), request.client(), admission)).isPresent();
        return new AdmissionAnswer(request.connection(), admitted);
    }

    @Override
    public void capacityChanged() {
        while (!queued.isEmpty() && !admission.full()) {
            Queued next = queued.poll();
            grant(next.share(), next.request());
        }
        rebalance();
    }

    /** Requests still queued are answered no: their workers close those clients as they drain. */
    @Override
    public void closeWaiting() {
        queued.forEach(waiting -> waiting.share().link.send(new LeaseAnswer(waiting.request().lease(), false)));
        queued.clear();
    }

    /** Connections the workers of {@code slot} serve, as their last heartbeats said. */
    @Override
    public int open(int slot) {
        return shares.values().stream().filter(share -> share.worker.slot() == slot)
                .mapToInt(share -> share.link.lastHeartbeat().open()).sum();
    }

    @Override
    public int waiting() {
        return queued.size();
    }

    /** Nothing is handed off: the workers accept. */
    @Override
    public MetricsSource.HandOffs handOffs() {
        return new MetricsSource.HandOffs(0, 0);
    }

    private void grant(Share share, LeaseRequest request) {
        Optional<Permit> permit = admission.acquireAtAccept(request.client());
        permit.ifPresentOrElse(granted -> share.holdings.hold(request.lease(), granted),
                () -> share.requested.remove(request.lease()));
        share.link.send(new LeaseAnswer(request.lease(), permit.isPresent()));
    }

    /**
     * Tells each worker taking clients how many it may take: all it has while the server is full,
     * else its allowance from the balance. A worker is told again when its allowance grows by half
     * a lead, or it used what it had, or it shrinks: not with every client.
     */
    private void rebalance() {
        boolean full = admission.full() || !queued.isEmpty();
        List<Share> taking = shares.values().stream().filter(share -> share.taking).toList();
        List<Candidate> candidates = new ArrayList<>(taking.size());
        for (Share share : taking) {
            candidates.add(new Candidate(takenBySlot.getOrDefault(share.worker.slot(), 0L),
                    share.holdings.size() < connectionsPerWorker));
        }
        List<Long> allowances = AcceptBalance.allowances(candidates);
        for (int i = 0; i < taking.size(); i++) {
            Share share = taking.get(i);
            long until = share.taken + (full ? 0 : allowances.get(i));
            long told = share.told.taken();
            boolean grew = until >= told + Math.max(1, AcceptBalance.MIN_LEAD / 2) || (share.taken >= told && until > told);
            if (full != share.told.serverFull() || until < told || grew) {
                share.told = new AcceptUntil(until, full);
                share.link.send(share.told);
            }
        }
    }

    /** One more client taken from the backlog by {@code worker}'s slot. */
    private void taken(Share share) {
        share.taken++;
        takenBySlot.merge(share.worker.slot(), 1L, Long::sum);
        rebalance();
    }

    private Optional<Share> share(WorkerHandle worker) {
        return Optional.ofNullable(shares.get(worker));
    }

    /** One worker given the socket: its link, the leases it holds, whether it takes clients and what it was told. */
    private static final class Share {
        private final WorkerHandle worker;
        private final MasterLink link;
        private final Holdings holdings = new Holdings();
        /** Leases requested and not yet used: counted for the balance at their request. */
        private final Set<Long> requested = new HashSet<>();
        private boolean taking = true;
        /** Clients it took from the backlog, as its reports said so far. */
        private long taken;
        /** What it was last told; it waits for this before it accepts. */
        private AcceptUntil told = new AcceptUntil(0, false);

        Share(WorkerHandle worker, MasterLink link) {
            this.worker = worker;
            this.link = link;
        }
    }

    private record Queued(Share share, LeaseRequest request) {
    }

    /** A live connection sent on to {@code to} and not yet adopted: the master's copy, and its old worker and id there. */
    private record Moving(WorkerHandle to, AcceptedSocket connection, WorkerHandle from, long idThere) {
    }
}
