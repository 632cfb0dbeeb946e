package dev.shout.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shout.server.process.AcceptBalance.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AcceptBalance}: how far each worker may run ahead of the one that has taken fewest. */
class AcceptBalanceTest {

    @Test
    void workersLevelAreEachAllowedTheLeadAndNoMore() {
        long lead = AcceptBalance.MIN_LEAD;
        assertEquals(List.of(lead, lead), AcceptBalance.allowances(List.of(new Candidate(0, true), new Candidate(0, true))));
    }

    @Test
    void aWorkerAheadByTheLeadMayTakeNoneUntilTheOthersCatchUp() {
        long lead = AcceptBalance.MIN_LEAD;
        assertEquals(List.of(0L, lead, lead - 3), AcceptBalance.allowances(
                List.of(new Candidate(100 + lead, true), new Candidate(100, true), new Candidate(103, true))));
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
        assertEquals(AcceptBalance.MIN_LEAD + 1, AcceptBalance.lead((AcceptBalance.MIN_LEAD + 1) * AcceptBalance.LEAD_FRACTION));
    }

    /** A full worker (at --connections-per-worker) takes none anyway: it must not hold the others back. */
    @Test
    void aWorkerWithoutRoomDoesNotSetTheFewest() {
        long lead = AcceptBalance.MIN_LEAD;
        assertEquals(List.of(0L, lead - 2, lead), AcceptBalance.allowances(
                List.of(new Candidate(500, false), new Candidate(50, true), new Candidate(48, true))));
    }

    @Test
    void withNoWorkerAbleEveryoneIsAllowedFromZero() {
        assertEquals(List.of(AcceptBalance.MIN_LEAD - 20, AcceptBalance.MIN_LEAD),
                AcceptBalance.allowances(List.of(new Candidate(20, false), new Candidate(0, false))));
    }
}
