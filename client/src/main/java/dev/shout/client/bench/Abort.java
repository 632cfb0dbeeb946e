package dev.shout.client.bench;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Ends a run early when going on would measure nothing but the machine's limits, such as running
 * out of file descriptors. The first reason wins; it is shown to the user as one line.
 */
final class Abort {

    private final CompletableFuture<String> reason = new CompletableFuture<>();

    /** From any thread. */
    void abort(String why) {
        reason.complete(why);
    }

    boolean aborted() {
        return reason.isDone();
    }

    Optional<String> reason() {
        return Optional.ofNullable(reason.getNow(null));
    }

    /** Completes when the run is aborted, for waiting on it together with other things. */
    CompletableFuture<String> future() {
        return reason;
    }
}
