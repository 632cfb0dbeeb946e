package dev.shout.server.process.supervision;

import dev.shout.server.config.DurationConverter;
import java.time.Duration;

/**
 * When a worker is replaced by a fresh one although nothing is wrong with it, as gunicorn's
 * {@code max_requests} does, to bound slow leaks: once this many connections were handed to it,
 * or once it has served this long. Its connections move to the fresh worker, so no client
 * notices (issue #11). Each worker's limits are stretched by its own random part of
 * {@link #JITTER}, so that workers started together do not recycle together.
 *
 * @param maxConnections connections handed to a worker over its life; 0: no limit
 * @param maxAge how long a worker serves; zero: no limit
 */
public record RecyclePolicy(long maxConnections, Duration maxAge) {

    /** Never recycle. */
    public static final RecyclePolicy NONE = new RecyclePolicy(0, Duration.ZERO);
    /** The most a worker's limits are stretched: a tenth. */
    public static final double JITTER = 0.1;

    /** Why {@code worker} is due, or null if it is not. */
    String due(WorkerHandle worker, long servedNanos) {
        double stretch = 1 + worker.jitter();
        if (maxConnections > 0 && worker.handed() >= (long) (maxConnections * stretch)) {
            return worker.handed() + " connections handed to it (--worker-max-connections " + maxConnections + ")";
        }
        if (!maxAge.isZero() && servedNanos >= (long) (maxAge.toNanos() * stretch)) {
            return "served " + DurationConverter.format(Duration.ofSeconds(Duration.ofNanos(servedNanos).toSeconds()))
                    + " (--worker-max-age " + DurationConverter.format(maxAge) + ")";
        }
        return null;
    }
}
