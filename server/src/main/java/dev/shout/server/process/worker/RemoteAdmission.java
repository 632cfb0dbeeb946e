package dev.shout.server.process.worker;

import dev.shout.server.admission.Admission;
import dev.shout.server.admission.Permit;
import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admission as a worker asks for it: the ledger is the master's, so a connection whose real
 * client the worker learns itself (from a PROXY header) is admitted by a request over the link
 * and the master's answer. The permit granted stays in the master's holdings under the
 * connection's id, and goes back when the worker reports the connection closed; releasing it
 * here gives nothing back early. Asked from the connections' event loops, answered on the link's.
 */
final class RemoteAdmission {

    private final LinkReporter reporter;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean linkClosed;

    RemoteAdmission(LinkReporter reporter) {
        this.reporter = reporter;
    }

    /** The admission of one connection the master handed over. */
    Admission forConnection(long connection) {
        return client -> {
            CompletableFuture<Optional<Permit>> answer = new CompletableFuture<>();
            if (pending.putIfAbsent(connection, new Pending(client, answer)) != null) {
                answer.completeExceptionally(new IllegalStateException("connection " + connection
                        + " is already asking to be admitted"));
                return answer;
            }
            reporter.send(new AdmissionRequest(connection, client));
            if (linkClosed) {
                // The link closed while this was asked: nobody will answer, nor did linkClosed see it.
                answered(new AdmissionAnswer(connection, false));
            }
            return answer;
        };
    }

    /** The master answered; an answer nobody asked for is ignored. */
    void answered(AdmissionAnswer answer) {
        Pending asked = pending.remove(answer.connection());
        if (asked != null) {
            asked.answer().complete(answer.admitted() ? Optional.of(new HeldByMaster(asked.client()))
                    : Optional.empty());
        }
    }

    /** The link is gone: nobody will answer. */
    void linkClosed() {
        linkClosed = true;
        pending.keySet().forEach(connection -> answered(new AdmissionAnswer(connection, false)));
    }

    private record Pending(InetAddress client, CompletableFuture<Optional<Permit>> answer) {
    }

    /** A permit the master holds for the connection until its close is reported. */
    private record HeldByMaster(InetAddress client) implements Permit {
        @Override
        public void release() {
            // The connection's Released report gives it back, once, in the master's ledger.
        }
    }
}
