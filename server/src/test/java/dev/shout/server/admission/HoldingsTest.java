package dev.shout.server.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which of a holder's operations give a permit back (release, replace, releaseAll) and which
 * never do (take, transfer): a permit given back twice, or never, skews the ledger for good.
 */
@Timeout(10)
class HoldingsTest {

    private static final long CONNECTION = 7;

    private final Holdings holdings = new Holdings();
    private final CountingPermit permit = new CountingPermit();

    @Test
    void aHeldPermitStaysUnreleased() {
        holdings.hold(CONNECTION, permit);
        assertTrue(holdings.holds(CONNECTION));
        assertEquals(1, holdings.size());
        assertEquals(0, permit.releases());
    }

    @Test
    void holdingAConnectionTwiceIsRefusedAndKeepsTheFirstPermit() {
        holdings.hold(CONNECTION, permit);
        CountingPermit second = new CountingPermit();
        assertThrows(IllegalStateException.class, () -> holdings.hold(CONNECTION, second));
        assertSame(permit, holdings.take(CONNECTION));
        assertEquals(List.of(0, 0), List.of(permit.releases(), second.releases()));
    }

    @Test
    void releaseGivesThePermitBackOnceAndForgetsIt() {
        holdings.hold(CONNECTION, permit);
        assertTrue(holdings.release(CONNECTION));
        assertFalse(holdings.release(CONNECTION), "released a connection it no longer holds");
        assertEquals(1, permit.releases());
        assertFalse(holdings.holds(CONNECTION));
    }

    @Test
    void releasingAConnectionNotHeldIsFalse() {
        assertFalse(holdings.release(CONNECTION));
    }

    @Test
    void takeHandsThePermitOverUnreleased() {
        holdings.hold(CONNECTION, permit);
        assertSame(permit, holdings.take(CONNECTION));
        assertNull(holdings.take(CONNECTION));
        assertEquals(0, permit.releases());
        assertEquals(0, holdings.size());
    }

    @Test
    void transferMovesThePermitStillHeld() {
        Holdings other = new Holdings();
        holdings.hold(CONNECTION, permit);
        assertTrue(holdings.transfer(CONNECTION, other));
        assertFalse(holdings.holds(CONNECTION));
        assertSame(permit, other.take(CONNECTION));
        assertEquals(0, permit.releases(), "a move released the permit, so it could be refused on the way back");
    }

    @Test
    void transferOfAConnectionNotHeldIsFalse() {
        assertFalse(holdings.transfer(CONNECTION, new Holdings()));
    }

    /** A permit neither holder has, nor given back, would take a place in the ledger for good. */
    @Test
    void aRefusedTransferLeavesThePermitWhereItWas() {
        Holdings other = new Holdings();
        other.hold(CONNECTION, new CountingPermit());
        holdings.hold(CONNECTION, permit);
        assertThrows(IllegalStateException.class, () -> holdings.transfer(CONNECTION, other));
        assertTrue(holdings.holds(CONNECTION), "the permit was lost on the way: " + permit.releases() + " releases");
    }

    @Test
    void replaceGivesTheOldPermitBackAndHoldsTheNew() {
        CountingPermit replacement = new CountingPermit();
        holdings.hold(CONNECTION, permit);
        holdings.replace(CONNECTION, replacement);
        assertEquals(List.of(1, 0), List.of(permit.releases(), replacement.releases()));
        holdings.release(CONNECTION);
        assertEquals(List.of(1, 1), List.of(permit.releases(), replacement.releases()));
    }

    @Test
    void releaseAllGivesEveryPermitBackOnceAndCountsThem() {
        List<CountingPermit> permits = List.of(permit, new CountingPermit(), new CountingPermit());
        for (int i = 0; i < permits.size(); i++) {
            holdings.hold(i, permits.get(i));
        }
        assertEquals(3, holdings.releaseAll());
        assertEquals(0, holdings.releaseAll());
        assertEquals(List.of(1, 1, 1), permits.stream().map(CountingPermit::releases).toList());
        assertEquals(0, holdings.size());
    }
}
