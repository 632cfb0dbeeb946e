package dev.shout.client.bench;

import io.netty.util.concurrent.Future;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Opens many connections with at most {@code --connects-in-flight} of them connecting at once.
 * Firing all at once would overflow the server's accept backlog, and the kernel then drops the
 * handshakes that do not fit, which shows up as connect timeouts rather than as load.
 */
final class ConnectionOpener<D extends ConnectionDriver> {

    private final Network network;
    private final ConnectFailures failures;
    private final Abort abort;
    private final int count;
    private final IntFunction<D> drivers;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger settled = new AtomicInteger();
    private final Collection<D> opened = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Collection<D>> done = new CompletableFuture<>();

    ConnectionOpener(Network network, ConnectFailures failures, Abort abort, int count, IntFunction<D> drivers) {
        this.network = network;
        this.failures = failures;
        this.abort = abort;
        this.count = count;
        this.drivers = drivers;
    }

    /**
     * Starts opening; completes with the drivers of the connections that opened once every
     * connect has succeeded or failed. After an abort it stops opening and never completes.
     */
    CompletableFuture<Collection<D>> openAll(int inFlight) {
        for (int i = 0; i < Math.min(inFlight, count); i++) {
            openNext();
        }
        return done;
    }

    /** The drivers of the connections opened so far. */
    Collection<D> opened() {
        return opened;
    }

    private void openNext() {
        int connection = next.getAndIncrement();
        if (connection >= count || abort.aborted()) {
            return;
        }
        D driver = drivers.apply(connection);
        network.connect(connection, driver).addListener(connect -> connected(driver, connect));
    }

    private void connected(D driver, Future<?> connect) {
        if (connect.isSuccess()) {
            opened.add(driver);
        } else {
            failures.record(connect.cause());
        }
        if (settled.incrementAndGet() == count) {
            done.complete(opened);
        } else {
            // A connect that fails at once calls back on this very thread: do not recurse.
            network.executor().execute(this::openNext);
        }
    }
}
