package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every limit and timeout flag is checked when the server starts: a bad value is one line
 * naming the flag, the value and what it may be, then the hint, and exit code 2. An address the
 * server cannot listen on is one line too, and exit code 1.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HardeningFlagsTest {

    private static final String HINT = "Try 'shout-server --help' for more information.";

    static Stream<Arguments> badValues() {
        List<Arguments> cases = List.of(
                Arguments.of("--max-connections-per-ip", "-1", "--max-connections-per-ip: -1 (expected: >= 0)"),
                Arguments.of("--idle-timeout", "-1s", "--idle-timeout: -1s (expected: >= 0)"),
                Arguments.of("--idle-timeout", "25h", "--idle-timeout: 25h (expected: <= 24h)"),
                Arguments.of("--half-closed-timeout", "0", "--half-closed-timeout: 0s (expected: > 0)"),
                Arguments.of("--max-pending-bytes", "100", "--max-pending-bytes: 100 (expected: 1024..67108864)"),
                Arguments.of("--max-pending-bytes", "67108865",
                        "--max-pending-bytes: 67108865 (expected: 1024..67108864)"),
                Arguments.of("--write-timeout", "-5s", "--write-timeout: -5s (expected: > 0)"),
                Arguments.of("--proxy-protocol", "v2", "--proxy-trusted: required with --proxy-protocol v2"),
                Arguments.of("--proxy-trusted", "10.0.0.0/33",
                        "--proxy-trusted: 10.0.0.0/33 (expected: a CIDR like 10.0.0.0/8 or fd00::/8)"),
                Arguments.of("--proxy-trusted", "gateway.local",
                        "--proxy-trusted: gateway.local (expected: a CIDR like 10.0.0.0/8 or fd00::/8)"),
                Arguments.of("--proxy-header-timeout", "0", "--proxy-header-timeout: 0s (expected: > 0)"));
        return Stream.of(ServerMode.values()).flatMap(mode -> cases.stream()
                .map(c -> Arguments.of(mode, c.get()[0], c.get()[1], c.get()[2])));
    }

    @ParameterizedTest(name = "{0} mode: {1} {2}")
    @MethodSource("badValues")
    void aBadLimitOrTimeoutIsOneLineAndExitCodeTwo(ServerMode mode, String flag, String value, String message)
            throws Exception {
        Run run = run(mode, flag, value);
        assertEquals(2, run.exitCode(), run.output());
        assertEquals(List.of("shout-server: " + message, HINT), run.output().lines().toList());
    }

    @ParameterizedTest(name = "{0} mode")
    @EnumSource(ServerMode.class)
    void aDurationWithoutAUnitNamesTheFlag(ServerMode mode) throws Exception {
        Run run = run(mode, "--write-timeout", "5");
        assertEquals(2, run.exitCode(), run.output());
        List<String> lines = run.output().lines().toList();
        assertEquals(2, lines.size(), run.output());
        assertTrue(lines.get(0).startsWith("shout-server: ") && lines.get(0).contains("--write-timeout")
                && lines.get(0).contains("'5' is not a duration"), lines.get(0));
        assertEquals(HINT, lines.get(1));
    }

    @ParameterizedTest(name = "{0} mode")
    @EnumSource(ServerMode.class)
    void aHostThatDoesNotResolveIsOneLineAndExitCodeOne(ServerMode mode) throws Exception {
        Run run = runWith(mode, "--host", "no.such.host", "--port", "8080");
        assertEquals(1, run.exitCode(), run.output());
        List<String> lines = run.output().lines().toList();
        assertEquals(1, lines.size(), run.output());
        assertTrue(lines.get(0).endsWith(" ERROR ShoutServer - cannot listen on no.such.host:8080: unknown host"),
                lines.get(0));
    }

    @ParameterizedTest(name = "{0} mode")
    @EnumSource(ServerMode.class)
    void anUnknownAcceptModeIsOneLineAndExitCodeTwo(ServerMode mode) throws Exception {
        Run run = run(mode, "--accept", "everyone");
        assertEquals(2, run.exitCode(), run.output());
        List<String> lines = run.output().lines().toList();
        assertEquals(2, lines.size(), run.output());
        assertTrue(lines.get(0).startsWith("shout-server: ") && lines.get(0).contains("--accept")
                && lines.get(0).contains("everyone"), lines.get(0));
        assertEquals(HINT, lines.get(1));
    }

    /** Thread mode has no workers: asking them to accept is a mistake to point out, not to ignore. */
    @Test
    void workersAcceptingInThreadModeIsOneLineAndExitCodeTwo() throws Exception {
        Run run = run(ServerMode.THREAD, "--accept", "workers");
        assertEquals(2, run.exitCode(), run.output());
        assertEquals(List.of("shout-server: --accept: workers (expected: master: thread mode has no workers to accept)",
                HINT), run.output().lines().toList());
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs the server jar with one bad flag; stdout and stderr together. */
    private static Run run(ServerMode mode, String flag, String value) throws IOException, InterruptedException {
        return runWith(mode, "--port", "0", flag, value);
    }

    /** Runs the server jar with {@code args}, expecting it to exit; stdout and stderr together. */
    private static Run runWith(ServerMode mode, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Jars.java(), "-jar", Jars.server()));
        command.addAll(mode.flags());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not exit on " + String.join(" ", args) + ": " + output);
        }
        return new Run(process.exitValue(), output);
    }
}
