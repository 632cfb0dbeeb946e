package dev.shout.server.pipeline;

import io.netty.util.concurrent.EventExecutor;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, by reason, of connections ended in ways that can come in floods: closed by a timeout,
 * refused by the PROXY protocol. The totals since the process started feed the metrics; the
 * last second's become one summary line a second per reason, never a line per connection. Safe
 * to count from any event loop; subclasses say only what each summary line reads.
 */
public abstract sealed class ReasonCounts<R extends Enum<R> & ReasonCounts.Reason>
        permits TimedOutConnections, Refusals {

    /** A reason, an enum constant: its name in lower case is its metrics label ({@code HALF_CLOSED}: {@code half_closed}). */
    public interface Reason {
        String name();

        default String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<R, AtomicLong> lastSecond;
    private final Map<R, LongAdder> total;

    ReasonCounts(Class<R> reasons) {
        lastSecond = new EnumMap<>(reasons);
        total = new EnumMap<>(reasons);
        for (R reason : reasons.getEnumConstants()) {
            lastSecond.put(reason, new AtomicLong());
            total.put(reason, new LongAdder());
        }
    }

    /** Counts one connection ended for {@code reason}. */
    final void count(R reason) {
        lastSecond.get(reason).incrementAndGet();
        total.get(reason).increment();
    }

    /** Connections ended for {@code reason} since this process started. */
    public final long total(R reason) {
        return total.get(reason).sum();
    }

    /** Connections ended since this process started, by {@link Reason#label()}, every reason present. */
    public final Map<String, Long> totals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        total.forEach((reason, count) -> totals.put(reason.label(), count.sum()));
        return totals;
    }

    /** Logs, once a second on {@code executor}, a line for each reason counted in that second. */
    public final void reportEverySecond(EventExecutor executor) {
        executor.scheduleAtFixedRate(this::reportRest, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Logs a line for each reason counted since the last lines; as a process stops, so that the
     * connections ended in its last, unfinished second are not left out of the log.
     */
    public final void reportRest() {
        takeLastSecond().forEach(this::report);
    }

    /** The reasons counted since the last call, with how many; resets the count. */
    final Map<R, Long> takeLastSecond() {
        Map<R, Long> counted = new LinkedHashMap<>();
        lastSecond.forEach((reason, count) -> {
            long n = count.getAndSet(0);
            if (n > 0) {
                counted.put(reason, n);
            }
        });
        return counted;
    }

    /** Logs the summary line of {@code count} connections ended for {@code reason} in the last second. */
    abstract void report(R reason, long count);
}
