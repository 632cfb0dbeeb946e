package dev.shout.server.config;

import dev.shout.server.transform.TransformKind;
import java.time.Duration;
import java.util.Objects;

/**
 * How every client connection is served, in thread mode and in every worker: what it is sent
 * back, and the limits that keep a slow, idle or greedy client from costing more than its share.
 *
 * @param idleTimeout a connection that neither sends nor receives this long is closed; 0 = never
 * @param halfClosedTimeout a client that half-closed and reads nothing more is closed after this
 * @param maxPendingBytes bytes owed to a client above which the server stops reading from it
 * @param writeTimeout a client that reads nothing this long while it is owed that much is closed
 */
public record ConnectionPolicy(
        TransformKind transform,
        Duration idleTimeout,
        Duration halfClosedTimeout,
        int maxPendingBytes,
        Duration writeTimeout) {

    public static final int MIN_PENDING_BYTES = 1024;
    public static final int MAX_PENDING_BYTES = 64 << 20;

    public ConnectionPolicy {
        Objects.requireNonNull(transform, "transform");
        Checks.positiveOrOff(idleTimeout, "--idle-timeout");
        Checks.positive(halfClosedTimeout, "--half-closed-timeout");
        Checks.check(maxPendingBytes >= MIN_PENDING_BYTES && maxPendingBytes <= MAX_PENDING_BYTES,
                "--max-pending-bytes", maxPendingBytes, MIN_PENDING_BYTES + ".." + MAX_PENDING_BYTES);
        Checks.positive(writeTimeout, "--write-timeout");
    }
}
