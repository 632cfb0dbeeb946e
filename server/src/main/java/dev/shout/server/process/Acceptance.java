package dev.shout.server.process;

import dev.shout.server.metrics.MetricsSource;
import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import dev.shout.server.process.link.LinkMessage.LeaseRequest;
import dev.shout.server.process.link.LinkMessage.MigrateConnection;
import dev.shout.server.process.link.LinkProtocolException;
import dev.shout.server.process.supervision.WorkerHandle;
import dev.shout.server.transport.HandOffServerChannel;
import io.netty.channel.unix.FileDescriptor;

/**
 * How the master takes clients in, as {@code --accept} says: it accepts each one and hands it to
 * a worker ({@link Dispatcher}), or its workers accept from the listening socket it shares with
 * them ({@link SharedAccept}). Either way the master's ledger admits every client and the master
 * knows what each worker holds. A report that belongs to the other way is a protocol error.
 * Everything runs on the master's one event loop.
 */
interface Acceptance {

    /** The server's listening socket, before it is registered; nothing is accepted until a worker is ready. */
    void listening(HandOffServerChannel server);

    void workerReady(WorkerHandle worker, MasterLink link);

    /** It drains: it takes no more clients. */
    void workerRetiring(WorkerHandle worker);

    /** Its link is gone. */
    void linkClosed(WorkerHandle worker);

    /** It exited: what it held goes back; counted lost when it crashed with connections. */
    void workerGone(WorkerHandle worker, boolean crashed);

    /** A worker may have room, or the ledger: take clients in again if they were paused. */
    void capacityChanged();

    /** Connection (or lease) {@code id} of {@code worker} ended: its permit goes back. */
    void released(WorkerHandle worker, long id);

    /** A worker learned a connection's real client: it is admitted under that address, or refused. */
    AdmissionAnswer admit(WorkerHandle worker, AdmissionRequest request);

    default void adopted(WorkerHandle worker, long id) {
        throw notInThisMode("Adopted");
    }

    default void arrivedClosed(WorkerHandle worker, long id) {
        throw notInThisMode("ArrivedClosed");
    }

    default void accepted(WorkerHandle worker, long lease) {
        throw notInThisMode("Accepted");
    }

    default void leaseRequested(WorkerHandle worker, LeaseRequest request) {
        throw notInThisMode("LeaseRequest");
    }

    /**
     * A rolling restart replaced {@code old}, which is told next to send its connections back
     * (issue #11): each goes to {@code replacement}, its permit with it, never released.
     */
    default void moveConnections(WorkerHandle old, WorkerHandle replacement) {
        workerRetiring(old);
        migrations().route(old, replacement);
    }

    /** {@code from} sent back connection {@code message} with its descriptor, readied to move. */
    void moving(WorkerHandle from, MigrateConnection message, FileDescriptor descriptor);

    /** {@code worker} adopted a connection that moved to it: the old worker may close its copy. */
    void migrated(WorkerHandle worker, long id);

    /** Where retiring workers' connections move, and how that went. */
    Migrations migrations();

    /** On shutdown: clients taken in but not yet served by a worker are closed. */
    void closeWaiting();

    /** Connections held by the workers of {@code slot}. */
    int open(int slot);

    /** Clients taken in by the master and not yet served by a worker. */
    int waiting();

    MetricsSource.HandOffs handOffs();

    private LinkProtocolException notInThisMode(String message) {
        return new LinkProtocolException(message + " does not belong to this --accept mode");
    }
}
