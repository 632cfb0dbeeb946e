package dev.shout.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shout.server.process.AcceptBalance.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AcceptBalance}: how far each worker may run ahead of the one that has taken fewest. */
class AcceptBalanceTest {

    @Test
    void workersLevelAreEachAllowedTheLeadAndNoMore() {
        assertEquals(List.of(8L, 8L), AcceptBalance.allowances(List.of(new Candidate(0, true), new Candidate(0, true))));
    }

    @Test
    void aWorkerAheadByTheLeadMayTakeNoneUntilTheOthersCatchUp() {
        assertEquals(List.of(0L, 8L, 5L), AcceptBalance.allowances(
                List.of(new Candidate(108, true), new Candidate(100, true), new Candidate(103, true))));
    }

    @Test
    void theFewestAlwaysMayTakeSome() {
        for (long fewest : new long[] {0, 1, 7, 1000, 1_000_000}) {
            List<Long> allowances = AcceptBalance.allowances(
                    List.of(new Candidate(fewest + 5_000_000, true), new Candidate(fewest, true)));
            assertEquals(AcceptBalance.lead(fewest), allowances.get(1));
            assertEquals(0L, allowances.get(0));
        }
    }

    @Test
    void theLeadGrowsWithTheCountsSoThatALongRunPausesNoMoreOften() {
        assertEquals(AcceptBalance.MIN_LEAD, AcceptBalance.lead(0));
        assertEquals(AcceptBalance.MIN_LEAD, AcceptBalance.lead(AcceptBalance.MIN_LEAD * AcceptBalance.LEAD_FRACTION));
        assertEquals(3125, AcceptBalance.lead(100_000));
    }

    /** A full worker (at --connections-per-worker) takes none anyway: it must not hold the others back. */
    @Test
    void aWorkerWithoutRoomDoesNotSetTheFewest() {
        assertEquals(List.of(0L, 6L, 8L), AcceptBalance.allowances(
                List.of(new Candidate(500, false), new Candidate(50, true), new Candidate(48, true))));
    }

    @Test
    void withNoWorkerAbleEveryoneIsAllowedFromZero() {
        assertEquals(List.of(0L, 8L), AcceptBalance.allowances(List.of(new Candidate(20, false), new Candidate(0, false))));
    }
}
