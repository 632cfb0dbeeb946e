package dev.shout.server.process;

import dev.shout.server.process.LinkMessage.Heartbeat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the workers of one slot (worker-1, worker-2, ...) have done, added up across their
 * restarts, so that a replaced worker's counts are neither lost nor counted twice. The master
 * counts the connections itself, as workers acknowledge them; bytes come from heartbeats, each
 * adding only the growth since the same worker's previous one, so a worker that dies takes
 * at most its last half second of bytes with it.
 */
final class SlotTotals {

    /** Why a slot's worker was started again; the label value of the restart metric. */
    enum RestartCause {
        CRASH, TIMEOUT, BOOT_FAILURE, SIGTERM, ROLLING;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private long opened;
    private long received;
    private long sent;
    private long lost;
    private final Map<String, Long> restarts = new TreeMap<>();

    void opened() {
        opened++;
    }

    void add(Heartbeat previous, Heartbeat current) {
        received += current.received() - previous.received();
        sent += current.sent() - previous.sent();
    }

    void lost(int connections) {
        lost += connections;
    }

    void restarted(RestartCause cause) {
        restarts.merge(cause.label(), 1L, Long::sum);
    }

    long openedCount() {
        return opened;
    }

    long received() {
        return received;
    }

    long sent() {
        return sent;
    }

    long lost() {
        return lost;
    }

    Map<String, Long> restarts() {
        return restarts;
    }
}
