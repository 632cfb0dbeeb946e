package dev.shout.server.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shout.server.transform.TransformKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class ServerConfigTest {

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("port above 65535", c -> c.port = 70000, "--port: 70000 (expected: 0..65535)"),
                invalid("port just past the last", c -> c.port = 65536, "--port: 65536 (expected: 0..65535)"),
                invalid("negative port", c -> c.port = -1, "--port: -1 (expected: 0..65535)"),
                invalid("no threads", c -> c.threads = 0, "--threads: 0 (expected: >= 1)"),
                invalid("no backlog", c -> c.backlog = 0, "--backlog: 0 (expected: >= 1)"),
                invalid("no workers", c -> c.workers = 0, "--workers: 0 (expected: >= 1)"),
                invalid("no connections", c -> c.maxConnections = 0, "--max-connections: 0 (expected: >= 1)"),
                invalid("no connections per worker", c -> c.connectionsPerWorker = -3,
                        "--connections-per-worker: -3 (expected: >= 1)"),
                invalid("zero shutdown timeout", c -> c.shutdownTimeout = Duration.ZERO,
                        "--shutdown-timeout: 0s (expected: > 0)"),
                invalid("negative shutdown timeout", c -> c.shutdownTimeout = Duration.ofSeconds(-5),
                        "--shutdown-timeout: -5s (expected: > 0)"),
                invalid("zero worker timeout", c -> c.workerTimeout = Duration.ZERO,
                        "--worker-timeout: 0s (expected: > 0)"),
                invalid("negative worker timeout", c -> c.workerTimeout = Duration.ofMillis(-250),
                        "--worker-timeout: -250ms (expected: > 0)"),
                invalid("zero migration timeout", c -> c.migrationTimeout = Duration.ZERO,
                        "--migration-timeout: 0s (expected: > 0)"),
                invalid("negative worker max connections", c -> c.workerMaxConnections = -1,
                        "--worker-max-connections: -1 (expected: >= 0)"),
                invalid("negative worker max age", c -> c.workerMaxAge = Duration.ofSeconds(-1),
                        "--worker-max-age: -1s (expected: >= 0)"),
                invalid("shutdown timeout over a day", c -> c.shutdownTimeout = Duration.ofHours(25),
                        "--shutdown-timeout: 25h (expected: <= 24h)"),
                invalid("negative per-IP limit", c -> c.maxConnectionsPerIp = -1,
                        "--max-connections-per-ip: -1 (expected: >= 0)"),
                invalid("negative idle timeout", c -> c.idleTimeout = Duration.ofSeconds(-1),
                        "--idle-timeout: -1s (expected: >= 0)"),
                invalid("zero half-closed timeout", c -> c.halfClosedTimeout = Duration.ZERO,
                        "--half-closed-timeout: 0s (expected: > 0)"),
                invalid("tiny pending limit", c -> c.maxPendingBytes = 100,
                        "--max-pending-bytes: 100 (expected: 1024..67108864)"),
                invalid("zero write timeout", c -> c.writeTimeout = Duration.ZERO,
                        "--write-timeout: 0s (expected: > 0)"),
                invalid("unresolved mode", c -> c.mode = Mode.AUTO,
                        "--mode: auto must be resolved before the configuration is built"),
                invalid("workers accepting in thread mode", c -> c.accept = AcceptMode.WORKERS,
                        "--accept: workers (expected: master: thread mode has no workers to accept)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void rejectsAnInvalidValueNamingItsFlag(Consumer<Config> change, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(change));
        assertEquals(message, e.getMessage());
    }

    static Stream<Named<Consumer<Config>>> edgeValues() {
        return Stream.of(
                Named.of("port 0", c -> c.port = 0),
                Named.of("port 65535", c -> c.port = 65535),
                Named.of("one of everything", c -> {
                    c.threads = 1;
                    c.backlog = 1;
                    c.workers = 1;
                    c.maxConnections = 1;
                    c.connectionsPerWorker = 1;
                }),
                Named.of("1ms timeouts", c -> {
                    c.shutdownTimeout = Duration.ofMillis(1);
                    c.workerTimeout = Duration.ofMillis(1);
                }),
                Named.of("process mode", c -> c.mode = Mode.PROCESS),
                Named.of("process mode, workers accepting", c -> {
                    c.mode = Mode.PROCESS;
                    c.accept = AcceptMode.WORKERS;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeValues")
    void acceptsTheEdgesOfEachRange(Consumer<Config> change) {
        assertDoesNotThrow(() -> build(change));
    }

    @Test
    void requiresAHostATransformAndTimeouts() {
        assertEquals("host", assertThrows(NullPointerException.class, () -> build(c -> c.host = null)).getMessage());
        assertEquals("transform",
                assertThrows(NullPointerException.class, () -> build(c -> c.transform = null)).getMessage());
        assertEquals("--shutdown-timeout",
                assertThrows(NullPointerException.class, () -> build(c -> c.shutdownTimeout = null)).getMessage());
        assertEquals("--worker-timeout",
                assertThrows(NullPointerException.class, () -> build(c -> c.workerTimeout = null)).getMessage());
    }

    @Test
    void requiresAMode() {
        assertThrows(NullPointerException.class, () -> build(c -> c.mode = null));
    }

    @Test
    void rejectsAHugeNegativeTimeoutWithTheFlagMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(c -> c.shutdownTimeout = Duration.ofHours(-9_999_999_999_999L)));
        assertEquals("--shutdown-timeout: -9999999999999h (expected: > 0)", e.getMessage());
    }

    @Test
    void keepsItsOwnUnmodifiableCopyOfTheWorkerJvmOptions() {
        assertListCopiedAndUnmodifiable((c, list) -> c.workerJvmOpts = list, ServerConfig::workerJvmOpts);
    }

    private static void assertListCopiedAndUnmodifiable(
            BiConsumer<Config, List<String>> set, Function<ServerConfig, List<String>> get) {
        List<String> given = new ArrayList<>(List.of("-Xmx128m", "--port"));
        ServerConfig config = build(c -> set.accept(c, given));
        given.add("added later");
        List<String> kept = get.apply(config);
        assertEquals(List.of("-Xmx128m", "--port"), kept);
        assertThrows(UnsupportedOperationException.class, () -> kept.add("more"));
    }

    private static Arguments invalid(String name, Consumer<Config> change, String message) {
        return Arguments.of(Named.of(name, change), message);
    }

    /** A valid configuration with one thing changed. */
    private static ServerConfig build(Consumer<Config> change) {
        Config config = new Config();
        change.accept(config);
        return config.build();
    }

    /** The fields of a valid configuration, for the tests to change one at a time. */
    static final class Config {
        String host = "127.0.0.1";
        int port = 8080;
        Mode mode = Mode.THREAD;
        int threads = 4;
        TransformKind transform = TransformKind.UPPER;
        Duration idleTimeout = Duration.ofMinutes(5);
        Duration halfClosedTimeout = Duration.ofSeconds(30);
        int maxPendingBytes = 65_536;
        Duration writeTimeout = Duration.ofSeconds(60);
        Duration shutdownTimeout = Duration.ofSeconds(10);
        int backlog = 1024;
        AcceptMode accept = AcceptMode.MASTER;
        int workers = 4;
        List<String> workerJvmOpts = List.of();
        int maxConnections = 10_000;
        int maxConnectionsPerIp = 1000;
        int connectionsPerWorker = 10_000;
        Duration workerTimeout = Duration.ofSeconds(5);
        Duration migrationTimeout = Duration.ofSeconds(5);
        long workerMaxConnections = 0;
        Duration workerMaxAge = Duration.ZERO;

        ServerConfig build() {
            ConnectionPolicy connection = new ConnectionPolicy(
                    transform, idleTimeout, halfClosedTimeout, maxPendingBytes, writeTimeout);
            ProxyProtocolPolicy proxy = new ProxyProtocolPolicy(ProxyProtocol.OFF, List.of(), Duration.ofSeconds(5));
            return new ServerConfig(host, port, mode, accept, threads, connection, proxy, Optional.empty(), shutdownTimeout, backlog, workers,
                    workerJvmOpts, maxConnections, maxConnectionsPerIp, connectionsPerWorker, workerTimeout,
                    migrationTimeout, workerMaxConnections, workerMaxAge, new MetricsConfig("127.0.0.1", OptionalInt.empty(), Duration.ZERO));
        }
    }
}
