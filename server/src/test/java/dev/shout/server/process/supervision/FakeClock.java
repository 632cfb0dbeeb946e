package dev.shout.server.process.supervision;

import java.time.Duration;

/** A clock that stands still until a test moves it, so that every deadline is met to the nanosecond. */
public final class FakeClock implements Clock {

    private long now;

    /** @param start any reading: {@code System.nanoTime}'s origin is arbitrary, so may be supervision's */
    public FakeClock(long start) {
        this.now = start;
    }

    public void advance(Duration duration) {
        now += duration.toNanos();
    }

    @Override
    public long nanoTime() {
        return now;
    }
}
