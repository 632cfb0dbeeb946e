package dev.shout.server.process.worker;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The leases a worker holds unused, by client address: each is a place in the master's ledger
 * for a client from that address, kept after its client left so that the next client from
 * there is admitted here without asking the master. A lease unused for a whole period between
 * two {@link #takeStale} calls goes back, so that no worker sits on places another needs for
 * long. The most recently kept lease is reused first, so the others can go stale.
 *
 * <p>Not thread-safe: the worker's acceptor uses it on its own event loop.
 */
final class LeaseCache {

    private final Map<InetAddress, Deque<Kept>> idle = new HashMap<>();
    private long period;

    /** An unused lease for a client from {@code address}, now taken; empty if there is none. */
    OptionalLong reuse(InetAddress address) {
        Deque<Kept> kept = idle.get(address);
        if (kept == null) {
            return OptionalLong.empty();
        }
        long lease = kept.pop().lease();
        if (kept.isEmpty()) {
            idle.remove(address);
        }
        return OptionalLong.of(lease);
    }

    /** Keeps {@code lease}, whose client from {@code address} left, for the next one from there. */
    void keep(InetAddress address, long lease) {
        idle.computeIfAbsent(address, any -> new ArrayDeque<>()).push(new Kept(lease, period));
    }

    /** Takes the leases kept unused since before the previous call, to give back; starts a new period. */
    List<Long> takeStale() {
        List<Long> stale = new ArrayList<>();
        for (Iterator<Deque<Kept>> byAddress = idle.values().iterator(); byAddress.hasNext(); ) {
            Deque<Kept> kept = byAddress.next();
            kept.removeIf(lease -> lease.period() < period && stale.add(lease.lease()));
            if (kept.isEmpty()) {
                byAddress.remove();
            }
        }
        period++;
        return stale;
    }

    /** Takes every lease kept, to give back. */
    List<Long> takeAll() {
        List<Long> all = new ArrayList<>();
        idle.values().forEach(kept -> kept.forEach(lease -> all.add(lease.lease())));
        idle.clear();
        return all;
    }

    private record Kept(long lease, long period) {
    }
}
