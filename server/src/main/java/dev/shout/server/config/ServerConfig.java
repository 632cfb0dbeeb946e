package dev.shout.server.config;

import dev.shout.server.transform.TransformKind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the server is told on its command line, checked once when built. Nothing else
 * reads flags: thread mode, the master and its workers all run from one of these.
 *
 * @param mode thread or process, already resolved from {@link Mode#AUTO}
 * @param threads event loops serving connections: in all in thread mode, per worker in process mode
 * @param originalArgs the command line as given, which workers are started with
 */
public record ServerConfig(
        String host,
        int port,
        Mode mode,
        int threads,
        TransformKind transform,
        Duration shutdownTimeout,
        int backlog,
        int workers,
        List<String> workerJvmOpts,
        int maxConnections,
        int connectionsPerWorker,
        Duration workerTimeout,
        List<String> originalArgs) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transform, "transform");
        workerJvmOpts = List.copyOf(workerJvmOpts);
        originalArgs = List.copyOf(originalArgs);
        if (mode == Mode.AUTO) {
            throw new IllegalArgumentException("--mode: auto must be resolved before the configuration is built");
        }
        check(port >= 0 && port <= 65535, "--port", port, "0..65535");
        check(threads >= 1, "--threads", threads, ">= 1");
        check(backlog >= 1, "--backlog", backlog, ">= 1");
        check(workers >= 1, "--workers", workers, ">= 1");
        check(maxConnections >= 1, "--max-connections", maxConnections, ">= 1");
        check(connectionsPerWorker >= 1, "--connections-per-worker", connectionsPerWorker, ">= 1");
        checkPositive(shutdownTimeout, "--shutdown-timeout");
        checkPositive(workerTimeout, "--worker-timeout");
    }

    private static void check(boolean valid, String flag, Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException(flag + ": " + value + " (expected: " + expected + ")");
        }
    }

    private static void checkPositive(Duration duration, String flag) {
        Objects.requireNonNull(duration, flag);
        check(!duration.isNegative() && !duration.isZero(), flag, DurationConverter.format(duration), "> 0");
    }
}
