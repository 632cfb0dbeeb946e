package dev.shout.server.pipeline;

/**
 * Asks a connection to close once what it is owed is written: fired by the timeouts, so that
 * even a connection closed for idling gets the bytes the transform still holds.
 */
final class CloseAfterFlushEvent {

    static final CloseAfterFlushEvent INSTANCE = new CloseAfterFlushEvent();

    private CloseAfterFlushEvent() {
    }
}
