package dev.shout.server.admission;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Thread mode's hold on one connection's place in its ledger, from accept until it closes.
 * Admitting the connection again under its real client moves the place: the client's permit is
 * taken, then the one given at accept goes back — what {@link Holdings#replace} does for the
 * master in process mode — so the connection never counts twice against {@code --max-connections}.
 */
public final class HeldPermit implements Admission {

    private final AdmissionLedger ledger;
    private final AtomicReference<Permit> held;

    public HeldPermit(AdmissionLedger ledger, Permit accepted) {
        this.ledger = ledger;
        this.held = new AtomicReference<>(accepted);
    }

    /** Answers at once: refused leaves the connection's place as it was. */
    @Override
    public CompletionStage<Optional<Permit>> acquire(InetAddress client) {
        Optional<Permit> granted = ledger.tryAcquire(client);
        granted.ifPresent(permit -> held.getAndSet(permit).release());
        return CompletableFuture.completedFuture(granted);
    }

    /** The connection closed: its place goes back, whichever permit holds it now. */
    public void release() {
        held.get().release();
    }
}
