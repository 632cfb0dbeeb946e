package dev.shout.client.bench;

import dev.shout.client.tls.TlsFailure;
import java.util.Locale;
import java.util.Optional;
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

    /**
     * Like {@code connection refused: /127.0.0.1:8080}, or for TLS like {@code certificate expired
     * on 2026-11-30}.
     */
    static String describe(Throwable cause) {
        Optional<String> tlsFailure = TlsFailure.describe(cause);
        if (tlsFailure.isPresent()) {
            return tlsFailure.get();
        }
        String message = cause.getMessage();
        if (message == null) {
            return cause.getClass().getSimpleName();
        }
        return NATIVE_PREFIX.matcher(message).replaceFirst("").toLowerCase(Locale.ROOT);
    }
}
