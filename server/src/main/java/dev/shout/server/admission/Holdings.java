package dev.shout.server.admission;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The permits one holder (a worker process) holds, by the id of the connection each admits. A
 * holder that dies gives all of them back at once; a connection that moves to another holder
 * takes its permit along, never released and acquired again, so a move can never be refused.
 *
 * <p>Not thread-safe: the master touches its holdings on its one event loop.
 */
public final class Holdings {

    private final Map<Long, Permit> permits = new HashMap<>();

    public void hold(long connection, Permit permit) {
        if (permits.putIfAbsent(connection, permit) != null) {
            throw new IllegalStateException("connection " + connection + " is held already");
        }
    }

    /** Releases the permit of {@code connection}; false if this holder has none for it. */
    public boolean release(long connection) {
        Permit permit = permits.remove(connection);
        if (permit == null) {
            return false;
        }
        permit.release();
        return true;
    }

    /** Puts {@code replacement} in the place of the permit {@code connection} holds, releasing the old one. */
    public void replace(long connection, Permit replacement) {
        Permit old = permits.put(connection, replacement);
        if (old != null) {
            old.release();
        }
    }

    /**
     * Admits {@code connection}, held here, again as coming from {@code client} (named by its PROXY
     * header): the client's permit takes the old one's place. False, and nothing changed, when
     * this holder has no such connection or the client holds its limit.
     */
    public boolean readmit(long connection, InetAddress client, AdmissionLedger ledger) {
        if (!holds(connection)) {
            return false;
        }
        Optional<Permit> permit = ledger.tryAcquire(client);
        permit.ifPresent(granted -> replace(connection, granted));
        return permit.isPresent();
    }

    /**
     * Moves the permit of {@code connection} to {@code other}, still held; false if there is none
     * here. A connection {@code other} holds already is refused as {@link #hold} refuses it, and
     * the permit stays here.
     */
    public boolean transfer(long connection, Holdings other) {
        if (!holds(connection)) {
            return false;
        }
        if (other.holds(connection)) {
            throw new IllegalStateException("connection " + connection + " is held already where it would go");
        }
        other.hold(connection, take(connection));
        return true;
    }

    /** Removes the permit of {@code connection} unreleased, for a new holder; null if there is none here. */
    public Permit take(long connection) {
        return permits.remove(connection);
    }

    public boolean holds(long connection) {
        return permits.containsKey(connection);
    }

    public int size() {
        return permits.size();
    }

    /** Releases every permit, for a holder that is gone; returns how many there were. */
    public int releaseAll() {
        List<Permit> all = new ArrayList<>(permits.values());
        permits.clear();
        all.forEach(Permit::release);
        return all.size();
    }
}
