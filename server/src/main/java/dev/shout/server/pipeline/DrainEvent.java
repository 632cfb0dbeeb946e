package dev.shout.server.pipeline;

/**
 * Tells a connection that the server is going away: send what is owed, then end it. Fired
 * through the pipeline so that it runs on the connection's own event loop.
 */
final class DrainEvent {

    static final DrainEvent INSTANCE = new DrainEvent();

    private DrainEvent() {
    }
}
