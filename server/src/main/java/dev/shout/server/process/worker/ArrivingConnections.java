package dev.shout.server.process.worker;

/**
 * Clients this worker has taken — accepted from the shared socket, or sent by the master — that
 * are not yet registered with their pipeline, where the open connections count them. A drain
 * waits for these first: a client taken just before the worker stopped would otherwise be missed
 * by it, and reset, its request unread, when the process exits.
 */
final class ArrivingConnections {

    private int arriving;

    /** A client was taken: it is on its way to its pipeline. */
    synchronized void arriving() {
        arriving++;
    }

    /** A client taken is registered with its pipeline, or closed. */
    synchronized void arrived() {
        if (--arriving == 0) {
            notifyAll();
        }
    }

    /** Waits until no client is on its way, or until {@code deadlineNanos}; returns how many still are. */
    synchronized int awaitNone(long deadlineNanos) {
        long left;
        while (arriving > 0 && (left = deadlineNanos - System.nanoTime()) > 0) {
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return arriving;
    }
}
