package dev.shout.server.pipeline;

import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections one client address holds at once ({@code --max-connections-per-ip}),
 * so that one greedy client cannot take every slot. Refusals are counted, not logged one by
 * one: a flood of them becomes one summary line a second.
 */
public final class AddressLimiter {

    private static final Logger log = LoggerFactory.getLogger(AddressLimiter.class);

    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final AtomicLong refusals = new AtomicLong();
    private final LongAdder totalRefusals = new LongAdder();

    /** @param maxPerAddress 0 for no limit */
    public AddressLimiter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection from {@code address}, or refuses it when that address is at the cap. */
    public boolean tryAcquire(InetAddress address) {
        if (maxPerAddress == 0) {
            return true;
        }
        boolean[] acquired = new boolean[1];
        open.compute(address, (key, count) -> {
            int current = count == null ? 0 : count;
            acquired[0] = current < maxPerAddress;
            return acquired[0] ? current + 1 : current == 0 ? null : current;
        });
        if (!acquired[0]) {
            refusals.incrementAndGet();
            totalRefusals.increment();
        }
        return acquired[0];
    }

    public void release(InetAddress address) {
        if (maxPerAddress != 0) {
            open.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Connections refused since the server started. */
    public long refusedTotal() {
        return totalRefusals.sum();
    }

    /** Logs, once a second on {@code executor}, how many connections were refused in that second. */
    public void reportRefusalsEverySecond(EventExecutor executor) {
        executor.scheduleAtFixedRate(() -> {
            long refused = refusals.getAndSet(0);
            if (refused > 0) {
                log.warn("refused {} connections in the last second: over --max-connections-per-ip {}",
                        refused, maxPerAddress);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }
}
