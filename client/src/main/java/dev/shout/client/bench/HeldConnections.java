package dev.shout.client.bench;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The patterns that open all their connections first and keep them for the whole run: the load
 * starts only once every connect is settled, so that connecting is not measured as load.
 */
final class HeldConnections<D extends ConnectionDriver> implements LoadPattern {

    /** How long replies still on their way may take once the load stops. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);

    private final ConnectionOpener<D> opener;
    private final int connectsInFlight;

    HeldConnections(Network network, ConnectFailures failures, Abort abort, BenchConfig config,
            IntFunction<D> drivers) {
        this.opener = new ConnectionOpener<>(network, failures, abort, config.connections(), drivers);
        this.connectsInFlight = config.connectsInFlight();
    }

    @Override
    public CompletableFuture<Void> start() {
        return opener.openAll(connectsInFlight).thenAccept(opened -> opened.forEach(ConnectionDriver::start));
    }

    /** The drivers of the connections that opened. */
    Collection<D> drivers() {
        return opener.opened();
    }

    @Override
    public void close() throws InterruptedException {
        drivers().forEach(ConnectionDriver::finish);
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        for (D driver : drivers()) {
            Channel channel = driver.channel();
            long left = deadline - System.nanoTime();
            if (left <= 0 || !channel.closeFuture().await(left, TimeUnit.NANOSECONDS)) {
                channel.close();
            }
        }
    }
}
