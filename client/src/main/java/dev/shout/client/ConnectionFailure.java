package dev.shout.client;

/**
 * A network failure already phrased for the user, so that the command only has to print it on one
 * line instead of a stack trace.
 */
final class ConnectionFailure extends Exception {

    private static final long serialVersionUID = 1L;

    ConnectionFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
