package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.client.ShoutClientHarness;
import dev.shout.client.TestServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Short runs of {@code shout bench} against an in-test server on loopback; nothing here judges speed. */
@Timeout(60)
class BenchCommandTest {

    private static final String[] SMOKE = {"--duration", "1s", "--size", "64"};
    private static final String CONNECTIONS = "4";
    private static final String HINT = "Try 'shout bench --help' for more information.";

    @Test
    void pingpongVerifiesEveryReplyAndExits0() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            ShoutClientHarness.Outcome outcome = bench(server, "--pattern", "pingpong");
            assertEquals(0, outcome.exitCode(), outcome.err());
            assertTrue(outcome.out().contains("no failures, every reply byte checked against upper"), outcome.out());
            assertTrue(outcome.out().contains("4 established, 0 connect errors, 0 lost"), outcome.out());
        }
    }

    @Test
    void pingpongReportsMessagesAndLatencyAsJson() throws IOException {
        Map<String, Object> report = saneJsonRun(TestServer.uppercasing(), "--pattern", "pingpong");
        assertTrue((Double) report.get("latency_samples") > 0, report::toString);
        assertTrue((Double) report.get("latency_p50_us") <= (Double) report.get("latency_max_us"), report::toString);
    }

    @Test
    void streamMovesBytesBothWaysAndExits0() throws IOException {
        Map<String, Object> report = saneJsonRun(TestServer.uppercasing(), "--pattern", "stream");
        assertTrue((Double) report.get("mb_per_s") > 0, report::toString);
        assertNull(report.get("latency_p99_us"), "a stream has no round trips to time");
    }

    @Test
    void churnCountsNewConnectionsAndExits0() throws IOException {
        Map<String, Object> report = saneJsonRun(TestServer.uppercasing(), "--churn");
        assertEquals("churn", report.get("pattern"));
        assertTrue((Double) report.get("connections_per_s") > 0, report::toString);
        assertTrue((Double) report.get("connections_established") > 4, report::toString);
    }

    @Test
    void fixedRateRunMeasuresFromTheDueTimeAndExits0() throws IOException {
        Map<String, Object> report = saneJsonRun(TestServer.uppercasing(), "--rate", "400");
        assertEquals(400.0, report.get("rate"));
        assertTrue((Double) report.get("latency_samples") > 0, report::toString);
    }

    @Test
    void idleThenPingAnswersOnePingPerConnection() throws IOException {
        Map<String, Object> report = saneJsonRun(TestServer.uppercasing(), "--pattern", "idle-then-ping");
        assertEquals(4.0, report.get("messages"));
        assertEquals(4.0, report.get("latency_samples"));
    }

    @Test
    void verifyCanBeSwitchedOff() throws IOException {
        Map<String, Object> report = saneJsonRun(TestServer.corruptingByteAt(0), "--no-verify");
        assertEquals(false, report.get("verify"));
    }

    @Test
    void wrongReplyBytesAreCountedLocatedAndExit1() throws IOException {
        try (TestServer server = TestServer.corruptingByteAt(100)) {
            ShoutClientHarness.Outcome outcome = ShoutClientHarness.run(benchArgs(server, "1"));
            assertEquals(1, outcome.exitCode());
            assertTrue(outcome.out().contains("1 failures, the first on connection 0 at byte 100"), outcome.out());
            assertEquals(1, outcome.errLines().size(), outcome.err());
            assertTrue(outcome.err().startsWith("shout bench: 1 verify failures, the first on connection 0 at byte 100"
                    + " (expected "), outcome.err());
        }
    }

    @Test
    void wrongReplyBytesShowInTheJsonReport() throws IOException {
        try (TestServer server = TestServer.corruptingByteAt(100)) {
            ShoutClientHarness.Outcome outcome =
                    ShoutClientHarness.run(benchArgs(server, "1", "--json"));
            Map<String, Object> report = FlatJson.parse(outcome.out());
            assertEquals(1, outcome.exitCode());
            assertEquals(1.0, report.get("verify_failures"));
            assertEquals(0.0, report.get("first_failure_connection"));
            assertEquals(100.0, report.get("first_failure_offset"));
            assertEquals(false, report.get("ok"));
        }
    }

    @Test
    void transformTheServerDoesNotRunFailsVerification() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            ShoutClientHarness.Outcome outcome = bench(server, "--transform", "echo");
            assertEquals(1, outcome.exitCode());
            assertTrue(outcome.err().contains(" verify failures, the first on connection "), outcome.err());
        }
    }

    @Test
    void refusedConnectsAreCountedAndExit1() throws IOException {
        int port = TestServer.unusedPort();
        ShoutClientHarness.Outcome outcome = ShoutClientHarness.run(
                "bench", "--host", TestServer.HOST, "--port", String.valueOf(port), "--duration", "1s");
        assertEquals(1, outcome.exitCode());
        assertTrue(outcome.err().contains("10 connect errors, the first: connection refused"), outcome.err());
    }

    @Test
    void moreConnectionsThanFileDescriptorsIsRefusedBeforeStarting() {
        ShoutClientHarness.Outcome outcome = ShoutClientHarness.run(
                "bench", "--host", TestServer.HOST, "--connections", String.valueOf(Integer.MAX_VALUE));
        assertEquals(1, outcome.exitCode());
        assertEquals(1, outcome.errLines().size(), outcome.err());
        assertTrue(outcome.err().startsWith("shout bench: --connections " + Integer.MAX_VALUE + " needs about "),
                outcome.err());
        assertTrue(outcome.err().contains("file descriptors"), outcome.err());
        assertEquals("", outcome.out());
    }

    @Test
    void versionIsTheClientsAndExits0() {
        ShoutClientHarness.Outcome outcome = ShoutClientHarness.run("bench", "--version");
        assertEquals(0, outcome.exitCode());
        assertEquals("shout " + System.getProperty("project.version") + System.lineSeparator(), outcome.out());
    }

    @Test
    void invalidFlagValueExits2WithTheBenchHint() {
        ShoutClientHarness.Outcome outcome = ShoutClientHarness.run("bench", "--connections", "0");
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of("shout bench: --connections: 0 (expected: >= 1)", HINT), outcome.errLines());
    }

    @Test
    void unknownPatternExits2AndListsTheKnownOnes() {
        ShoutClientHarness.Outcome outcome = ShoutClientHarness.run("bench", "--pattern", "churn");
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of("shout bench: Invalid value for option '--pattern': churn"
                + " (expected: pingpong, stream or idle-then-ping)", HINT), outcome.errLines());
    }

    @Test
    void churnCannotBeCombinedWithAPattern() {
        ShoutClientHarness.Outcome outcome = ShoutClientHarness.run("bench", "--churn", "--pattern", "stream");
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of("shout bench: --churn: cannot be combined with --pattern", HINT), outcome.errLines());
    }

    @Test
    void helpDescribesTheBenchOptions() {
        ShoutClientHarness.Outcome outcome = ShoutClientHarness.run("bench", "--help");
        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.out().startsWith("Usage: shout bench"), outcome.out());
        assertTrue(outcome.out().contains("--[no-]verify"), outcome.out());
    }

    /** Runs the bench with {@code --json} against {@code server}, closes it, and checks the run went well. */
    private static Map<String, Object> saneJsonRun(TestServer server, String... args) throws IOException {
        try (server) {
            ShoutClientHarness.Outcome outcome = bench(server, Stream.concat(Stream.of(args), Stream.of("--json"))
                    .toArray(String[]::new));
            assertEquals(0, outcome.exitCode(), outcome.err());
            Map<String, Object> report = FlatJson.parse(outcome.out());
            assertSaneRun(report);
            return report;
        }
    }

    private static void assertSaneRun(Map<String, Object> report) {
        assertEquals(true, report.get("ok"), report::toString);
        assertTrue((Double) report.get("messages") > 0, report::toString);
        assertEquals(0.0, report.get("verify_failures"));
        assertEquals(0.0, report.get("connect_errors"));
        assertEquals(0.0, report.get("resets"));
        assertEquals(0.0, report.get("closed_early"));
    }

    private static ShoutClientHarness.Outcome bench(TestServer server, String... args) {
        return ShoutClientHarness.run(benchArgs(server, CONNECTIONS, args));
    }

    /** The smoke flags, then {@code args}. */
    private static String[] benchArgs(TestServer server, String connections, String... args) {
        return Stream.of(
                        Stream.of("bench", "--host", TestServer.HOST, "--port", String.valueOf(server.port()),
                                "--connections", connections),
                        Stream.of(SMOKE), Stream.of(args))
                .flatMap(s -> s)
                .toArray(String[]::new);
    }
}
