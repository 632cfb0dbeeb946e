package dev.shout.client.tls;

/**
 * A file named by a TLS flag that cannot be used, already phrased for the user with the flag and
 * the file, so that the command prints it as one line and exits as for a bad flag.
 */
public final class TlsSetupException extends Exception {

    private static final long serialVersionUID = 1L;

    TlsSetupException(String message) {
        super(message);
    }
}
