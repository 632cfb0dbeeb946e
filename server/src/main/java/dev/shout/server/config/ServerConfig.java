package dev.shout.server.config;

import static dev.shout.server.config.Checks.check;

import dev.shout.server.transform.TransformKind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the server is told on its command line, checked once when built. Nothing else
 * reads flags: thread mode and the master run from one of these, each worker from the
 * {@link #worker() part of it} its master sends it.
 *
 * @param mode thread or process, already resolved from {@link Mode#AUTO}
 * @param accept process mode: whether the master or the workers accept clients
 * @param threads event loops serving connections: in all in thread mode, per worker in process mode
 * @param connection how each client connection is served
 * @param proxy whether connections come through balancers that send PROXY headers, and which to trust
 * @param tls TLS on the client port, if it is on
 * @param maxConnectionsPerIp connections one client address may hold at once; 0 = no limit
 * @param migrationTimeout process mode: how long a rolling restart waits for a connection's owed
 *     bytes to reach the kernel before it drains the connection instead of moving it
 * @param workerMaxConnections process mode: a worker handed this many connections is replaced; 0 = never
 * @param workerMaxAge process mode: a worker that served this long is replaced; zero = never
 * @param metrics the metrics endpoint and stats line
 */
public record ServerConfig(
        String host,
        int port,
        Mode mode,
        AcceptMode accept,
        int threads,
        ConnectionPolicy connection,
        ProxyProtocolPolicy proxy,
        Optional<TlsConfig> tls,
        Duration shutdownTimeout,
        int backlog,
        int workers,
        List<String> workerJvmOpts,
        int maxConnections,
        int maxConnectionsPerIp,
        int connectionsPerWorker,
        Duration workerTimeout,
        Duration migrationTimeout,
        long workerMaxConnections,
        Duration workerMaxAge,
        MetricsConfig metrics) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(accept, "accept");
        Objects.requireNonNull(metrics, "metrics");
        workerJvmOpts = List.copyOf(workerJvmOpts);
        if (mode == Mode.AUTO) {
            throw new IllegalArgumentException("--mode: auto must be resolved before the configuration is built");
        }
        check(accept == AcceptMode.MASTER || mode == Mode.PROCESS, "--accept", accept,
                "master: thread mode has no workers to accept");
        check(port >= 0 && port <= 65535, "--port", port, "0..65535");
        // The part a worker is sent, checked as a worker checks it.
        new WorkerSettings(threads, connection, proxy, tls, connectionsPerWorker, shutdownTimeout, migrationTimeout);
        check(backlog >= 1, "--backlog", backlog, ">= 1");
        check(workers >= 1, "--workers", workers, ">= 1");
        check(maxConnections >= 1, "--max-connections", maxConnections, ">= 1");
        check(maxConnectionsPerIp >= 0, "--max-connections-per-ip", maxConnectionsPerIp, ">= 0");
        Checks.positive(workerTimeout, "--worker-timeout");
        check(workerMaxConnections >= 0, "--worker-max-connections", workerMaxConnections, ">= 0");
        Checks.positiveOrOff(workerMaxAge, "--worker-max-age");
    }

    /** Process mode: what each worker is sent of this configuration. */
    public WorkerSettings worker() {
        return new WorkerSettings(threads, connection, proxy, tls, connectionsPerWorker, shutdownTimeout,
                migrationTimeout);
    }

    public TransformKind transform() {
        return connection.transform();
    }
}
