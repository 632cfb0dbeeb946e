package dev.shout.server.process;

import dev.shout.server.process.link.LinkMessage.Heartbeat;
import dev.shout.server.process.link.LinkMessage.Refused;
import dev.shout.server.process.link.LinkMessage.TimedOut;

/**
 * What the workers of one slot (worker-1, worker-2, ...) have served, added up across their
 * restarts, so that a replaced worker's counts are neither lost nor counted twice. The master
 * counts connections itself, as workers adopt them; bytes, timeouts and PROXY refusals come from heartbeats,
 * each adding only the growth since the same worker's previous one, so a worker that dies takes
 * at most its last half second of them with it. Touched only on the master's event loop.
 */
final class SlotTotals {

    private long opened;
    private long received;
    private long sent;
    private long lost;
    private long timedOutIdle;
    private long timedOutHalfClosed;
    private long timedOutWrite;
    private Refused refused = Refused.NONE;

    void opened() {
        opened++;
    }

    void add(Heartbeat previous, Heartbeat current) {
        received += current.received() - previous.received();
        sent += current.sent() - previous.sent();
        TimedOut before = previous.timedOut();
        TimedOut now = current.timedOut();
        timedOutIdle += now.idle() - before.idle();
        timedOutHalfClosed += now.halfClosed() - before.halfClosed();
        timedOutWrite += now.write() - before.write();
        refused = refused.plus(current.refused().minus(previous.refused()));
    }

    void lost(int connections) {
        lost += connections;
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

    TimedOut timedOut() {
        return new TimedOut(timedOutIdle, timedOutHalfClosed, timedOutWrite);
    }

    Refused refused() {
        return refused;
    }
}
