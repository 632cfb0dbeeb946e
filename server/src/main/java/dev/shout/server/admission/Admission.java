package dev.shout.server.admission;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The one contract by which a connection is let in, in both modes: it counts against
 * {@code --max-connections} and against its client address's {@code --max-connections-per-ip}
 * until its {@link Permit} is released.
 *
 * <p>The answer is asynchronous because the ledger is not always where the question is asked: a
 * worker process that learns a client's real address late (from a PROXY header, say) asks the
 * master, which holds the one ledger of the server.
 */
public interface Admission {

    /** Completes with the connection's permit, or empty when {@code client} already holds its limit. */
    CompletionStage<Optional<Permit>> acquire(InetAddress client);
}
