package dev.shout.server.pipeline;

import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.DurationConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections the server closed because one of their timeouts ran out, by cause. They are
 * counted, not logged one by one: a flood of them (clients that vanished, probes that never
 * speak) becomes one summary line a second per cause, and the totals feed the metrics.
 */
public final class TimedOutConnections extends ReasonCounts<TimedOutConnections.Cause> {

    private static final Logger log = LoggerFactory.getLogger(TimedOutConnections.class);

    /** The timeout that closed a connection; {@link #label()} names it in the metrics. */
    public enum Cause implements ReasonCounts.Reason {
        /** {@code --idle-timeout}: nothing sent or received. */
        IDLE,
        /** {@code --half-closed-timeout}: the client half-closed and stopped reading. */
        HALF_CLOSED,
        /** {@code --write-timeout}: the client stopped reading what it is owed. */
        WRITE
    }

    private final ConnectionPolicy policy;

    /** @param policy the timeouts, quoted in the summary lines */
    public TimedOutConnections(ConnectionPolicy policy) {
        super(Cause.class);
        this.policy = policy;
    }

    /** Counts one connection closed by {@code cause}; called from any event loop. */
    void closed(Cause cause) {
        count(cause);
    }

    @Override
    void report(Cause cause, long closed) {
        switch (cause) {
            case IDLE -> log.info("closed {} connections in the last second: idle for {} (--idle-timeout)",
                    closed, DurationConverter.format(policy.idleTimeout()));
            case HALF_CLOSED -> log.info("closed {} connections in the last second: half-closed and read nothing"
                    + " for {} (--half-closed-timeout)", closed, DurationConverter.format(policy.halfClosedTimeout()));
            case WRITE -> log.info("closed {} connections in the last second: read nothing for {} while owed more"
                            + " than {} bytes (--write-timeout)", closed, DurationConverter.format(policy.writeTimeout()),
                    policy.maxPendingBytes());
        }
    }
}
