package dev.shout.server.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Thread mode's hold on a connection's place, moved to the client a PROXY header names. */
@Timeout(10)
class HeldPermitTest {

    private static final InetAddress BALANCER = address(10, 0, 0, 1);
    private static final InetAddress CLIENT = address(203, 0, 113, 7);

    private final AdmissionLedger ledger = new AdmissionLedger(10, 1, BALANCER::equals);

    @Test
    void admittingTheClientMovesThePlaceSoTheConnectionCountsOnce() {
        HeldPermit held = new HeldPermit(ledger, ledger.acquireAtAccept(BALANCER).orElseThrow());
        Optional<Permit> granted = held.acquire(CLIENT).toCompletableFuture().join();
        assertTrue(granted.isPresent());
        assertEquals(CLIENT, granted.get().client());
        assertEquals(1, ledger.admitted(), "the place given at accept was kept too");
        held.release();
        assertEquals(0, ledger.admitted());
        assertTrue(ledger.tryAcquire(CLIENT).isPresent(), "the client's place was not given back");
    }

    @Test
    void aRefusalLeavesThePlaceGivenAtAcceptUntilTheConnectionCloses() {
        Permit other = ledger.tryAcquire(CLIENT).orElseThrow();
        CountingPermit accepted = new CountingPermit();
        HeldPermit held = new HeldPermit(ledger, accepted);
        assertTrue(held.acquire(CLIENT).toCompletableFuture().join().isEmpty());
        assertEquals(0, accepted.releases());
        held.release();
        assertEquals(1, accepted.releases());
        other.release();
    }

    @Test
    void releasingAgainGivesNothingMoreBack() {
        HeldPermit held = new HeldPermit(ledger, ledger.acquireAtAccept(BALANCER).orElseThrow());
        ledger.tryAcquire(CLIENT).orElseThrow();
        held.release();
        held.release();
        assertEquals(1, ledger.admitted());
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
