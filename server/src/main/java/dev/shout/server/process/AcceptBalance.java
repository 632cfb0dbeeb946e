package dev.shout.server.process;

import java.util.ArrayList;
import java.util.List;

/**
 * With {@code --accept workers}: how many more clients each worker may take from the backlog, so
 * that clients spread evenly. Epoll wakes the workers waiting on the one listening socket in
 * whatever order it likes, often last in, first out, so left alone one worker takes most
 * clients. As nginx's {@code ngx_accept_disabled} does, a worker ahead of the others pauses:
 * each may take clients until its slot is {@link #lead} ahead of the fewest any worker able to
 * accept has taken. The one with the fewest may always take some, so a worker accepts while the
 * server has room. Pure: the master feeds it its counts.
 */
final class AcceptBalance {

    /**
     * The smallest lead: some clients, so that a worker is not paused and resumed with each one,
     * nor left idle while a busy or descheduled peer catches up; 1,000 clients over 4 workers
     * still spread within 1.15.
     */
    static final long MIN_LEAD = 32;
    /** The lead grows with the counts (1/32 of the fewest): a long-running server pauses no more often. */
    static final int LEAD_FRACTION = 32;

    private AcceptBalance() {
    }

    /** One worker as the balance sees it: the clients its slot has taken, and whether it has room for more. */
    record Candidate(long taken, boolean able) {
    }

    /** How many more clients each of {@code candidates} may take now, in their order. */
    static List<Long> allowances(List<Candidate> candidates) {
        long fewest = candidates.stream().filter(Candidate::able).mapToLong(Candidate::taken).min().orElse(0);
        long ceiling = fewest + lead(fewest);
        List<Long> allowances = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            allowances.add(Math.max(0, ceiling - candidate.taken()));
        }
        return allowances;
    }

    /** How far ahead of the fewest a worker may go. */
    static long lead(long fewest) {
        return Math.max(MIN_LEAD, fewest / LEAD_FRACTION);
    }
}
