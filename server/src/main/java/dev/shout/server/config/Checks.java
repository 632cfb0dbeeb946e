package dev.shout.server.config;

import java.time.Duration;
import java.util.Objects;

/** Validation for configuration records, with messages that name the flag: {@code --port: 70000 (expected: 0..65535)}. */
final class Checks {

    /** The longest duration any flag takes; beyond it arithmetic in nanoseconds would overflow anyway. */
    static final Duration MAX_DURATION = Duration.ofDays(1);

    private Checks() {
    }

    static void check(boolean valid, String flag, Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException(flag + ": " + value + " (expected: " + expected + ")");
        }
    }

    static void positive(Duration duration, String flag) {
        Objects.requireNonNull(duration, flag);
        checkDuration(duration.compareTo(Duration.ZERO) > 0, flag, duration, "> 0");
        atMostADay(duration, flag);
    }

    /** For timeouts where 0 means "off". */
    static void positiveOrOff(Duration duration, String flag) {
        Objects.requireNonNull(duration, flag);
        checkDuration(!duration.isNegative(), flag, duration, ">= 0");
        atMostADay(duration, flag);
    }

    private static void atMostADay(Duration duration, String flag) {
        checkDuration(duration.compareTo(MAX_DURATION) <= 0, flag, duration, "<= 24h");
    }

    /**
     * As {@link #check}, the duration written as a flag's value only for the message: a worker
     * checks its settings too, and loads no class of the command line's (picocli's) to do it.
     */
    private static void checkDuration(boolean valid, String flag, Duration duration, String expected) {
        if (!valid) {
            check(false, flag, DurationConverter.format(duration), expected);
        }
    }
}
