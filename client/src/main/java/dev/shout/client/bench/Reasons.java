package dev.shout.client.bench;

import java.util.Locale;
import java.util.regex.Pattern;

/** Turns exceptions into the short lower-case phrases the reports use after a colon. */
final class Reasons {

    /**
     * Native transport messages start with the failed call, like {@code connect(..) failed: } or
     * {@code finishConnect(..) failed with error(-111): }, which says nothing to the user.
     */
    private static final Pattern NATIVE_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed[^:]*: ");

    private Reasons() {
    }

    /** Like {@code connection refused: /127.0.0.1:8080}. */
    static String describe(Throwable cause) {
        String message = cause.getMessage();
        if (message == null) {
            return cause.getClass().getSimpleName();
        }
        return NATIVE_PREFIX.matcher(message).replaceFirst("").toLowerCase(Locale.ROOT);
    }
}
