package dev.shout.server.process;

import dev.shout.server.admission.Holdings;
import dev.shout.server.admission.Permit;
import dev.shout.server.process.Dispatcher.Move;
import dev.shout.server.process.supervision.WorkerHandle;
import dev.shout.server.transport.AcceptedSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the dispatcher knows of one worker: its link, the permits of the connections it holds,
 * and the connections sent to it that it has not adopted yet. Touched only on the master's loop.
 */
final class WorkerLoad {

    /**
     * At most this many connections sent and not yet adopted. It keeps the descriptor socket's
     * send buffer from filling (Netty cannot retry a descriptor whose send would block) and
     * bounds the master's copies.
     */
    static final int MAX_IN_FLIGHT = 64;

    private final WorkerHandle worker;
    private final MasterLink link;
    private final Holdings holdings = new Holdings();
    /**
     * Sent, not yet adopted, oldest first. The master keeps its copy of each until the worker
     * adopts it, so that if the worker dies first the connection, still untouched, can go to
     * another worker.
     */
    private final Map<Long, InFlight> unadopted = new LinkedHashMap<>();
    private boolean accepting = true;

    WorkerLoad(WorkerHandle worker, MasterLink link) {
        this.worker = worker;
        this.link = link;
    }

    WorkerHandle worker() {
        return worker;
    }

    MasterLink link() {
        return link;
    }

    Holdings holdings() {
        return holdings;
    }

    /** Connections it holds or that are on their way to it. */
    int open() {
        return holdings.size();
    }

    boolean canTake(int connectionsPerWorker) {
        return accepting && open() < connectionsPerWorker && hasRoomInFlight();
    }

    /** Whether it takes connections at all; one moving to it as a replacement ignores the per-worker limit. */
    boolean accepting() {
        return accepting;
    }

    boolean hasRoomInFlight() {
        return unadopted.size() < MAX_IN_FLIGHT;
    }

    /** It drains, or its link broke: it is sent nothing more. */
    void stopTaking() {
        accepting = false;
    }

    void sent(long id, AcceptedSocket connection, Permit permit, Optional<Move> move) {
        holdings.hold(id, permit);
        unadopted.put(id, new InFlight(connection, move));
    }

    /** The send failed: the connection and its permit come back, for another worker. */
    Permit sendFailed(long id) {
        unadopted.remove(id);
        return holdings.take(id);
    }

    /** It holds the connection now: the master's copy can go. Empty if it was not on its way here. */
    Optional<InFlight> adopted(long id) {
        InFlight sent = unadopted.remove(id);
        if (sent != null) {
            sent.connection().unsafe().closeForcibly();
        }
        return Optional.ofNullable(sent);
    }

    /** Takes back every connection it never adopted, with its permit, for another worker. */
    List<Unadopted> takeUnadopted() {
        List<Unadopted> taken = new ArrayList<>();
        unadopted.forEach((id, sent) -> taken.add(new Unadopted(id, sent.connection(), holdings.take(id), sent.move())));
        unadopted.clear();
        return taken;
    }

    record Unadopted(long id, AcceptedSocket connection, Permit permit, Optional<Move> move) {
    }

    /** A connection sent and not yet adopted: the master's copy, and where it moves from if it is a live one. */
    record InFlight(AcceptedSocket connection, Optional<Move> move) {
    }
}
