package dev.shout.server.process.supervision;

/** Monotonic time in nanoseconds; a test moves a fake one by hand. */
@FunctionalInterface
public interface Clock {

    Clock SYSTEM = System::nanoTime;

    long nanoTime();
}
