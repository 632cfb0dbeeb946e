package dev.shout.server.pipeline;

import io.netty.util.concurrent.EventExecutor;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Counts, by reason, of something that can come in floods: connections a timeout closed, or
 * that the PROXY protocol refused. The totals since the process started feed the metrics; the
 * last second's become one summary line a second per reason, never a line per event. Safe to
 * count from any event loop.
 */
final class ReasonCounts<R extends Enum<R> & ReasonCounts.Reason> {

    /** A reason's name in the metrics' {@code reason} label. */
    interface Reason {
        String label();
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

    void count(R reason) {
        lastSecond.get(reason).incrementAndGet();
        total.get(reason).increment();
    }

    long total(R reason) {
        return total.get(reason).sum();
    }

    /** Every reason by its label, in declaration order, with its count since the process started. */
    Map<String, Long> totals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        total.forEach((reason, count) -> totals.put(reason.label(), count.sum()));
        return totals;
    }

    /** The reasons counted since the last call, with how many; resets the count. */
    Map<R, Long> takeLastSecond() {
        Map<R, Long> counted = new LinkedHashMap<>();
        lastSecond.forEach((reason, count) -> {
            long n = count.getAndSet(0);
            if (n > 0) {
                counted.put(reason, n);
            }
        });
        return counted;
    }

    /** Gives {@code report}, once a second on {@code executor}, each reason counted in that second. */
    void reportEverySecond(EventExecutor executor, BiConsumer<R, Long> report) {
        executor.scheduleAtFixedRate(() -> takeLastSecond().forEach(report), 1, 1, TimeUnit.SECONDS);
    }
}
