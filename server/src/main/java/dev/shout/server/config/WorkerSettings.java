package dev.shout.server.config;

import static dev.shout.server.config.Checks.check;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a worker process needs of the server's configuration, and nothing else: the master sends
 * it over the link, so a worker never parses a command line (building picocli's model was the
 * largest step of a worker's start) and runs from the very values its master checked.
 *
 * @param threads the worker's event loops
 * @param connection how each client connection is served
 * @param proxy whether connections come through balancers that send PROXY headers, and which to trust
 * @param tls TLS on the client port, if it is on
 * @param connectionsPerWorker connections the worker serves at once
 * @param shutdownTimeout how long a draining worker waits for its connections to finish
 * @param migrationTimeout how long a rolling restart waits for a connection's owed bytes to reach
 *     the kernel before it drains the connection instead of moving it
 */
public record WorkerSettings(
        int threads,
        ConnectionPolicy connection,
        ProxyProtocolPolicy proxy,
        Optional<TlsConfig> tls,
        int connectionsPerWorker,
        Duration shutdownTimeout,
        Duration migrationTimeout) {

    public WorkerSettings {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(tls, "tls");
        check(threads >= 1, "--threads", threads, ">= 1");
        check(connectionsPerWorker >= 1, "--connections-per-worker", connectionsPerWorker, ">= 1");
        Checks.positive(shutdownTimeout, "--shutdown-timeout");
        Checks.positive(migrationTimeout, "--migration-timeout");
    }

    /**
     * The longest a retiring worker spends moving its connections before it drains the rest: the
     * migration timeout to ready them, as long again for the new worker to adopt them.
     */
    public Duration migrationPatience() {
        return migrationTimeout.multipliedBy(2);
    }
}
