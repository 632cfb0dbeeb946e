package dev.shout.server.process.supervision;

import java.time.Duration;
import java.util.Optional;

/**
 * Notices that the master's own event loop did not run for a while: an overloaded machine, a
 * stopped process, a long pause. The workers' heartbeats went unread meanwhile, so their silence
 * over that time says nothing of them; judged on it, a master starved for the worker timeout
 * would kill every worker at once (seen at 100,000 connections on two overloaded cores).
 *
 * <p>Touched only on the loop it watches.
 */
public final class LoopStall {

    private final Clock clock;
    private final long limitNanos;
    private long lastTurnNanos;

    /** @param limit a gap between two turns longer than this is a stall */
    public LoopStall(Clock clock, Duration limit) {
        this.clock = clock;
        this.limitNanos = limit.toNanos();
        this.lastTurnNanos = clock.nanoTime();
    }

    /** Called on each turn of the loop's timer: how long the loop did not run, if that was a stall. */
    public Optional<Duration> turned() {
        long now = clock.nanoTime();
        long gap = now - lastTurnNanos;
        lastTurnNanos = now;
        return gap > limitNanos ? Optional.of(Duration.ofNanos(gap)) : Optional.empty();
    }
}
