package dev.shout.server.process;

import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.admission.Permit;
import dev.shout.server.metrics.MetricsSource;
import dev.shout.server.pipeline.ConnectionState;
import dev.shout.server.process.WorkerLoad.Unadopted;
import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import dev.shout.server.process.link.LinkMessage.HandedOver;
import dev.shout.server.process.link.LinkMessage.MigrateConnection;
import dev.shout.server.process.supervision.WorkerHandle;
import dev.shout.server.transport.AcceptedSocket;
import dev.shout.server.transport.HandOffServerChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.FileDescriptor;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's acceptor and hand-off ledger: admits each accepted connection, gives it an id,
 * and passes its descriptor to the least-loaded worker that has room; keeps which worker holds
 * which connection until the worker reports it closed. While no worker can take one, or the
 * server is full, it stops accepting, so clients wait in the kernel's backlog, not refused.
 *
 * <p>On a rolling restart it also routes live connections (issue #11): a retiring worker sends
 * each back with its state, and it goes, admission and all, to that worker's replacement; the
 * old worker closes its copy once told the new one adopted it.
 *
 * <p>Lives in the server channel's pipeline and, like all master state, runs on the master's
 * one event loop.
 */
final class Dispatcher extends ChannelInboundHandlerAdapter implements Acceptance {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int MAX_ATTEMPTS = 3;

    private final AdmissionLedger admission;
    private final IntFunction<SlotTotals> totals;
    private final int connectionsPerWorker;
    /** Ready workers and those still holding connections, in the order they became ready. */
    private final Map<WorkerHandle, WorkerLoad> loads = new LinkedHashMap<>();
    /** Accepted and admitted, not yet handed off: at most a read's worth, since accepting pauses when full. */
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    /** Links written to since the last flush; flushed once per batch, not per descriptor. */
    private final Set<MasterLink> unflushed = new LinkedHashSet<>();
    private Channel serverChannel;
    private long nextId = 1;
    private int roundRobin;
    private long handOffsSucceeded;
    private long handOffsFailed;
    /** Where retiring workers' connections move, and how that went. */
    private final Migrations migrations = new Migrations();

    Dispatcher(AdmissionLedger admission, IntFunction<SlotTotals> totals, int connectionsPerWorker) {
        this.admission = admission;
        this.totals = totals;
        this.connectionsPerWorker = connectionsPerWorker;
    }

    @Override
    public void listening(HandOffServerChannel server) {
        server.pipeline().addLast(this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        serverChannel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        AcceptedSocket connection = (AcceptedSocket) msg;
        Optional<Permit> permit = admission.acquireAtAccept(clientOf(connection));
        if (permit.isEmpty()) {
            connection.unsafe().closeForcibly();
            return;
        }
        waiting.add(new Waiting(nextId++, connection, permit.get(), 0, Optional.empty()));
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

    /** Called whenever a worker may have room: it became ready, reported closes or adopted connections. */
    @Override
    public void capacityChanged() {
        dispatchWaiting();
        flushLinks();
    }

    @Override
    public void workerReady(WorkerHandle worker, MasterLink link) {
        loads.put(worker, new WorkerLoad(worker, link));
        capacityChanged();
    }

    @Override
    public void workerRetiring(WorkerHandle worker) {
        load(worker).ifPresent(WorkerLoad::stopTaking);
    }

    /**
     * {@code from} sent back a connection it readied to move: its permit comes along, never
     * released, and it waits for its worker like an accepted one, ahead of those.
     */
    @Override
    public void moving(WorkerHandle from, MigrateConnection message, FileDescriptor descriptor) {
        AcceptedSocket connection = AcceptedSocket.moved(descriptor);
        Optional<Permit> permit = load(from).map(load -> load.holdings().take(message.connection()));
        if (permit.isEmpty()) {
            log.error("{} moved connection {}, which it does not hold: closing it", from, message.connection());
            migrations.failed();
            connection.unsafe().closeForcibly();
            return;
        }
        waiting.addFirst(new Waiting(message.connection(), connection, permit.get(), 0,
                Optional.of(new Move(from, message.state()))));
        capacityChanged();
    }

    @Override
    public void migrated(WorkerHandle worker, long id) {
        load(worker).flatMap(load -> load.adopted(id)).flatMap(WorkerLoad.InFlight::move).ifPresent(move -> {
            migrations.moved();
            handedOver(move, id);
        });
    }

    /** The old worker's copy of a moved connection may go: another worker holds it, or it is gone. */
    private void handedOver(Move move, long id) {
        load(move.from()).ifPresent(old -> old.link().send(new HandedOver(id)));
    }

    @Override
    public Migrations migrations() {
        return migrations;
    }

    /** Its link is gone: what it adopted was reported before, so the rest is untouched and goes to another. */
    @Override
    public void linkClosed(WorkerHandle worker) {
        load(worker).ifPresent(load -> {
            load.stopTaking();
            reclaim(load.takeUnadopted());
        });
    }

    /** It exited: the permits of what it held go back; counted lost when it crashed with them. */
    @Override
    public void workerGone(WorkerHandle worker, boolean crashed) {
        migrations.forget(worker);
        WorkerLoad load = loads.remove(worker);
        if (load == null) {
            return;
        }
        reclaim(load.takeUnadopted());
        int held = load.holdings().releaseAll();
        if (crashed) {
            log.warn("{} connections of {} lost with it", held, worker);
            totals.apply(worker.slot()).lost(held);
        }
        capacityChanged();
    }

    @Override
    public void adopted(WorkerHandle worker, long id) {
        load(worker).flatMap(load -> load.adopted(id)).ifPresent(sent -> totals.apply(worker.slot()).opened());
    }

    /** The connection was reset while it waited: the master's copy and its permit go. */
    @Override
    public void arrivedClosed(WorkerHandle worker, long id) {
        load(worker).ifPresent(load -> {
            load.adopted(id).flatMap(WorkerLoad.InFlight::move).ifPresent(move -> handedOver(move, id));
            load.holdings().release(id);
        });
    }

    @Override
    public void released(WorkerHandle worker, long id) {
        load(worker).ifPresent(load -> load.holdings().release(id));
    }

    /** A worker learned a connection's real client: it is admitted under that address, or refused. */
    @Override
    public AdmissionAnswer admit(WorkerHandle worker, AdmissionRequest request) {
        boolean admitted = load(worker)
                .filter(load -> load.holdings().readmit(request.connection(), request.client(), admission)).isPresent();
        return new AdmissionAnswer(request.connection(), admitted);
    }

    /** Connections held by the workers of {@code slot}, their own count or the master's. */
    @Override
    public int open(int slot) {
        return loads.values().stream().filter(load -> load.worker().slot() == slot).mapToInt(WorkerLoad::open).sum();
    }

    @Override
    public MetricsSource.HandOffs handOffs() {
        return new MetricsSource.HandOffs(handOffsSucceeded, handOffsFailed);
    }

    /** Accepted connections not yet handed to a worker. */
    @Override
    public int waiting() {
        return waiting.size();
    }

    /** On shutdown: connections never handed to a worker are closed. */
    @Override
    public void closeWaiting() {
        if (!waiting.isEmpty()) {
            log.info("closing {} connections that were waiting for a worker", waiting.size());
        }
        waiting.forEach(this::close);
        waiting.clear();
    }

    private void reclaim(List<Unadopted> connections) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            Unadopted back = connections.get(i);
            waiting.addFirst(new Waiting(back.id(), back.connection(), back.permit(), 0, back.move()));
        }
        if (!connections.isEmpty()) {
            log.info("{} connections sent to a worker that is gone go to another", connections.size());
            capacityChanged();
        }
    }

    private void dispatchWaiting() {
        for (WorkerLoad load; !waiting.isEmpty() && (load = pickFor(waiting.peek())) != null; ) {
            handOff(waiting.poll(), load);
        }
        if (serverChannel != null) {
            serverChannel.config().setAutoRead(waiting.isEmpty() && !admission.full() && pick() != null);
        }
    }

    /**
     * A moving connection goes to the replacement of the worker it comes from, whatever its load,
     * as soon as that has room in flight; if the replacement is gone, anywhere. Null if it waits.
     */
    private WorkerLoad pickFor(Waiting next) {
        Optional<WorkerLoad> replacement = next.move().flatMap(move -> migrations.replacementOf(move.from())).map(loads::get)
                .filter(WorkerLoad::accepting);
        if (replacement.isPresent()) {
            return replacement.get().hasRoomInFlight() ? replacement.get() : null;
        }
        return pick();
    }

    /** The worker with the fewest connections and room for one more, ties going round-robin; null if none. */
    private WorkerLoad pick() {
        List<WorkerLoad> candidates = new ArrayList<>(loads.values());
        WorkerLoad best = null;
        int n = candidates.size();
        for (int i = 0; i < n; i++) {
            WorkerLoad candidate = candidates.get((roundRobin + i) % n);
            if (candidate.canTake(connectionsPerWorker) && (best == null || candidate.open() < best.open())) {
                best = candidate;
            }
        }
        if (best != null) {
            roundRobin = (candidates.indexOf(best) + 1) % n;
        }
        return best;
    }

    private void handOff(Waiting next, WorkerLoad load) {
        // Our copy of the descriptor is closed only when the worker adopts it: closing it
        // before sendmsg ran would fail with EBADF.
        load.sent(next.id(), next.connection(), next.permit(), next.move());
        load.link().sendConnection(next.connection(), next.id(), next.move().map(Move::state))
                .addListener((ChannelFuture written) -> handedOff(next, load, written));
        unflushed.add(load.link());
    }

    private void handedOff(Waiting sent, WorkerLoad load, ChannelFuture written) {
        if (written.isSuccess()) {
            handOffsSucceeded++;
            return;
        }
        handOffsFailed++;
        Permit permit = load.sendFailed(sent.id());
        load.stopTaking();
        // A link that cannot be written to is broken: closing it hands the rest back too.
        load.link().close();
        Waiting again = new Waiting(sent.id(), sent.connection(), permit, sent.failures() + 1, sent.move());
        if (again.failures() < MAX_ATTEMPTS && serverChannel.isOpen()) {
            log.warn("handing {} to {} failed ({}); trying another worker",
                    sent.connection().remoteAddress(), load.worker(), written.cause().toString());
            waiting.addFirst(again);
            capacityChanged();
        } else {
            log.error("closing {}: no worker could take it ({})", sent.connection().remoteAddress(),
                    written.cause().toString());
            close(again);
        }
    }

    /** Gives up on {@code unserved}: a live connection lost so is a failed migration. */
    private void close(Waiting unserved) {
        if (unserved.move().isPresent()) {
            migrations.failed();
        }
        unserved.close();
    }

    private Optional<WorkerLoad> load(WorkerHandle worker) {
        return Optional.ofNullable(loads.get(worker));
    }

    /**
     * A flush may fail a hand-off at once, whose listener dispatches again and adds links to
     * flush: so each round flushes a copy, until none is left.
     */
    private void flushLinks() {
        while (!unflushed.isEmpty()) {
            List<MasterLink> links = new ArrayList<>(unflushed);
            unflushed.clear();
            links.forEach(MasterLink::flush);
        }
    }

    static InetAddress clientOf(AcceptedSocket connection) {
        return connection.remoteAddress().getAddress();
    }

    /** A live connection on its way from the worker that served it, with the state it goes on from. */
    record Move(WorkerHandle from, ConnectionState state) {
    }

    /**
     * An admitted connection waiting for a worker, how many hand-offs of it failed, and where it
     * moves from if it is a live one.
     */
    private record Waiting(long id, AcceptedSocket connection, Permit permit, int failures, Optional<Move> move) {
        void close() {
            permit.release();
            connection.unsafe().closeForcibly();
        }
    }
}
