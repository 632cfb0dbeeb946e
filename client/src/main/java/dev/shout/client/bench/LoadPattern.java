package dev.shout.client.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One way of loading the server, driven through a run's phases by {@link BenchRun}: start, warm
 * up and measure, {@link #endMeasurement}, take the figures, {@link #close}.
 */
interface LoadPattern {

    /** Opens what connections the pattern holds and starts the load; completes once it runs. */
    CompletableFuture<Void> start();

    /** Whatever must happen before the figures are taken, such as the idle connections' ping. */
    default void endMeasurement() throws InterruptedException {
    }

    /** Stops the load, lets replies still on their way come in, and closes every connection. */
    void close() throws InterruptedException;
}
