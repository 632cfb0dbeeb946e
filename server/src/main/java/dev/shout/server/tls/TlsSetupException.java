package dev.shout.server.tls;

/**
 * TLS cannot be set up as configured: a certificate or key file is missing, unreadable or
 * wrong, or the provider asked for does not load. Its message is one line naming the file or
 * flag and what is wrong, which is all the operator is shown.
 */
public final class TlsSetupException extends RuntimeException {

    TlsSetupException(String message) {
        super(message);
    }
}
