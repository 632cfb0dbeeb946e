package dev.shout.server.process.supervision;

import java.time.Duration;

/**
 * The numbers supervision decides by.
 *
 * @param slots worker processes kept running: worker-1 .. worker-N
 * @param workerTimeout a ready worker silent this long is killed
 * @param drainTimeout a draining worker still running after this is killed
 * @param bootTimeout a started worker not linked after this is killed
 * @param firstBackoff the wait before a crashed slot's first restart; it doubles with each crash in a row
 * @param maxBackoff the longest wait before a restart
 * @param healthyUptime a worker that ran this long resets its slot's backoff
 * @param maxBootFailures workers failing to boot in a row before the master gives up
 */
public record SupervisionPolicy(int slots, Duration workerTimeout, Duration drainTimeout, Duration bootTimeout,
        Duration firstBackoff, Duration maxBackoff, Duration healthyUptime, int maxBootFailures) {

    /** Beyond the shutdown timeout, how long a draining worker may take before it is killed. */
    public static final Duration DRAIN_GRACE = Duration.ofSeconds(3);

    public SupervisionPolicy {
        if (slots < 1 || maxBootFailures < 1 || firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("supervision policy " + slots + " slots, " + maxBootFailures
                    + " boot failures, backoff " + firstBackoff + ".." + maxBackoff);
        }
    }

    /** The shipped policy for {@code slots} workers. */
    public static SupervisionPolicy of(int slots, Duration workerTimeout, Duration shutdownTimeout) {
        return new SupervisionPolicy(slots, workerTimeout, shutdownTimeout.plus(DRAIN_GRACE), Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(10), 3);
    }
}
