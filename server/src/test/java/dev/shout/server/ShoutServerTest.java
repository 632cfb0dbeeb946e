package dev.shout.server;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.config.Cidr;
import dev.shout.server.config.AcceptMode;
import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.DurationConverter;
import dev.shout.server.config.MetricsConfig;
import dev.shout.server.config.Mode;
import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.config.ServerConfig;
import dev.shout.server.transform.TransformKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The command line as {@code main} runs it, its output captured. No test runs it with valid
 * flags: that would start a server.
 */
@Timeout(10)
class ShoutServerTest {

    private static final String HINT = "Try 'shout-server --help' for more information.";
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    @Test
    void helpExitsZeroAndListsEveryFlag() {
        Run run = run("--help");
        assertEquals(ExitCodes.OK, run.exitCode());
        assertEquals("", run.err());
        assertAll(Stream.of("--host=", "--port=", "--mode=", "--threads=", "--transform=", "--shutdown-timeout=",
                        "--backlog=", "--workers=", "--worker-jvm-opts=", "--max-connections=",
                        "--connections-per-worker=", "--worker-timeout=", "--proxy-protocol=", "--proxy-trusted=",
                        "--proxy-header-timeout=", "-h, --help", "-V, --version")
                .map(flag -> () -> assertTrue(run.out().contains(flag), flag + " missing from --help")));
    }

    @Test
    void versionIsTheOneThePomGives() {
        Run run = run("--version");
        assertEquals(ExitCodes.OK, run.exitCode());
        assertEquals("shout-server " + System.getProperty("project.version") + System.lineSeparator(), run.out());
    }

    @Test
    void anUnknownFlagExitsTwoWithOneLineAndTheHint() {
        Run run = run("--bogus");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertEquals("", run.out());
        List<String> lines = run.err().lines().toList();
        assertEquals(2, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("shout-server: ") && lines.get(0).contains("'--bogus'"), lines.get(0));
        assertEquals(HINT, lines.get(1));
    }

    @Test
    void aPortOutOfRangeExitsTwoWithTheConfigurationMessage() {
        assertUsageError(run("--port", "70000"), "--port: 70000 (expected: 0..65535)");
    }

    @Test
    void aZeroShutdownTimeoutExitsTwoWithTheConfigurationMessage() {
        assertUsageError(run("--shutdown-timeout", "0"), "--shutdown-timeout: 0s (expected: > 0)");
    }

    @Test
    void anUnknownTransformExitsTwoNamingTheFlagAndTheChoices() {
        Run run = run("--transform", "lower");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        List<String> lines = run.err().lines().toList();
        assertEquals(2, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("shout-server: "), lines.get(0));
        assertTrue(lines.get(0).contains("--transform"), lines.get(0));
        assertTrue(lines.get(0).contains("upper, ascii-upper or echo"), lines.get(0));
        assertEquals(HINT, lines.get(1));
    }

    @Test
    void parseGivesTheConfigurationTheFlagsDescribe() {
        List<String> args = List.of("--mode", "thread", "--port", "0", "--transform", "echo");
        ConnectionPolicy connection = new ConnectionPolicy(TransformKind.ECHO, Duration.ofSeconds(300),
                Duration.ofSeconds(30), 65_536, Duration.ofSeconds(60));
        ServerConfig expected = new ServerConfig(envOr("SHOUT_HOST", "127.0.0.1"), 0, Mode.THREAD, AcceptMode.MASTER, CPUS,
                connection, new ProxyProtocolPolicy(ProxyProtocol.OFF, List.of(), Duration.ofSeconds(5)),
                Optional.empty(), new DurationConverter().convert(envOr("SHOUT_SHUTDOWN_TIMEOUT", "10s")), 1024,
                CPUS, List.of(), 10_000, 1000, 10_000, Duration.ofSeconds(5), Duration.ofSeconds(5), 0, Duration.ZERO,
                new MetricsConfig(envOr("SHOUT_HOST", "127.0.0.1"), OptionalInt.empty(), Duration.ZERO));
        assertEquals(expected, ShoutServer.parse(args));
    }

    @Test
    void parseSplitsTheWorkerJvmOptions() {
        ServerConfig config = ShoutServer.parse(List.of("--mode", "thread", "--worker-jvm-opts", " -Xmx128m  -Xss1m "));
        assertEquals(List.of("-Xmx128m", "-Xss1m"), config.workerJvmOpts());
    }

    @Test
    void parseReadsTheProxyProtocolFlags() {
        ServerConfig config = ShoutServer.parse(List.of("--mode", "thread", "--proxy-protocol", "V2",
                "--proxy-trusted", "10.0.0.0/8,fd00::/8", "--proxy-trusted", "192.0.2.1",
                "--proxy-header-timeout", "750ms"));
        assertEquals(new ProxyProtocolPolicy(ProxyProtocol.V2, List.of(Cidr.parse("10.0.0.0/8"),
                Cidr.parse("fd00::/8"), Cidr.parse("192.0.2.1/32")), Duration.ofMillis(750)), config.proxy());
    }

    @Test
    void aProxyProtocolWithoutTrustedBalancersExitsTwoWithOneLine() {
        assertUsageError(run("--mode", "thread", "--proxy-protocol", "any"),
                "--proxy-trusted: required with --proxy-protocol any");
    }

    @Test
    void aBadTrustedBlockExitsTwoWithOneLine() {
        assertUsageError(run("--mode", "thread", "--proxy-protocol", "v1", "--proxy-trusted", "10.0.0.0/33"),
                "--proxy-trusted: 10.0.0.0/33 (expected: a CIDR like 10.0.0.0/8 or fd00::/8)");
    }

    @Test
    void parseRejectsAnInvalidConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShoutServer.parse(List.of("--mode", "thread", "--port", "70000")));
        assertEquals("--port: 70000 (expected: 0..65535)", e.getMessage());
    }

    private static void assertUsageError(Run run, String message) {
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertEquals("", run.out());
        assertEquals(List.of("shout-server: " + message, HINT), run.err().lines().toList());
    }

    /** A default the environment may override, as the flag's description says. */
    private static String envOr(String variable, String fallback) {
        return System.getenv().getOrDefault(variable, fallback);
    }

    private static Run run(String... args) {
        CommandLine commandLine = ShoutServer.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private record Run(int exitCode, String out, String err) {
    }
}
