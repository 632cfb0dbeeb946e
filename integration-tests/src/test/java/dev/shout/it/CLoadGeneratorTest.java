package dev.shout.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The C load generator of {@code bench/} against the server jar: every pattern gets its replies,
 * every byte checked, and a server whose replies are not the transform fails the run, so the
 * ratios the bench scripts draw from it can be trusted. Runs of about a second: this checks that
 * it works, not how fast anything is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CLoadGeneratorTest {

    private static final String[] SHORT_RUN = {"--warmup", "200ms", "--duration", "1s"};

    private static CLoadGenerator generator;
    private static ServerProcess upper;
    private static ServerProcess echo;

    @BeforeAll
    static void compileAndStartServers() throws IOException {
        generator = CLoadGenerator.compile();
        upper = startAnswering("hello", "HELLO");
        echo = startAnswering("hello", "hello", "--transform", "echo");
    }

    /**
     * A thread-mode server that has answered once: a fresh JVM's first reply can take over a
     * second on a loaded machine (class loading), longer than a whole run here.
     */
    private static ServerProcess startAnswering(String request, String reply, String... flags) throws IOException {
        List<String> all = new ArrayList<>(List.of("--mode", "thread", "--threads", "1"));
        all.addAll(List.of(flags));
        ServerProcess server = ServerProcess.start(all.toArray(String[]::new));
        assertEquals(reply, new String(TcpClient.exchange(server.port(), request.getBytes(US_ASCII), new Random(1)),
                US_ASCII));
        return server;
    }

    @AfterAll
    static void stopServers() {
        if (upper != null) {
            upper.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void pingPongOverFiveConnectionsGetsEveryReplyRight() throws IOException {
        CLoadGenerator.Run run = generator.run(upper.port(), withShortRun("--connections", "5"));
        assertGood(run, "pingpong");
        assertEquals(5, run.report().get("connections_established").asInt(), run.stderr());
        assertTrue(run.report().get("messages_per_s").asDouble() > 0, run.stderr());
        assertTrue(run.report().get("latency_p99_us").asDouble() > 0, run.stderr());
    }

    @Test
    void churnOverTwoLoopsOpensConnectionAfterConnection() throws IOException {
        CLoadGenerator.Run run = generator.run(upper.port(), withShortRun("--churn", "--connections", "2"));
        assertGood(run, "churn");
        assertTrue(run.report().get("connections_per_s").asDouble() > 0, run.stderr());
        assertTrue(run.report().get("connections_established").asLong() > 2, run.stderr());
    }

    @Test
    void streamOfEveryByteValueComesBackUnchangedFromAnEchoServer() throws IOException {
        CLoadGenerator.Run run = generator.run(echo.port(), withShortRun("--pattern", "stream", "--binary",
                "--transform", "echo", "--size", "4096", "--connections", "2"));
        assertGood(run, "stream");
        assertTrue(run.report().get("mb_per_s").asDouble() > 0, run.stderr());
    }

    @Test
    void repliesThatAreNotTheExpectedTransformFailTheRun() throws IOException {
        // The echo server sends back lower case where the generator expects upper case.
        CLoadGenerator.Run run = generator.run(echo.port(), withShortRun("--connections", "2"));
        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.report().get("verify_failures").asLong() > 0, run.stderr());
        assertEquals(false, run.report().get("ok").asBoolean(), run.stderr());
        assertTrue(run.report().get("problem").asString().contains("verify failures"), run.stderr());
        assertTrue(run.stderr().contains("verify failures, the first on connection"), run.stderr());
    }

    @Test
    void badFlagsAndHostsOffLoopbackAreRefusedBeforeAnyTraffic() throws IOException {
        assertRefused(generator.runWithFlags("--duration", "11m"), "--duration: 11m (expected: at most 10m)");
        assertRefused(generator.runWithFlags("--connections", "0"), "--connections: '0'");
        assertRefused(generator.runWithFlags("--binary"), "--binary: only with --transform ascii-upper or echo");
        assertRefused(generator.runWithFlags("--frobnicate"), "unknown flag '--frobnicate'");
        // 192.0.2.0/24 is for documentation: nothing is there, and nothing is sent.
        assertRefused(generator.runWithFlags("--host", "192.0.2.1"), "is not a loopback address");
    }

    private static String[] withShortRun(String... flags) {
        String[] all = new String[flags.length + SHORT_RUN.length];
        System.arraycopy(flags, 0, all, 0, flags.length);
        System.arraycopy(SHORT_RUN, 0, all, flags.length, SHORT_RUN.length);
        return all;
    }

    private static void assertGood(CLoadGenerator.Run run, String pattern) {
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(pattern, run.report().get("pattern").asString(), run.stderr());
        assertTrue(run.report().get("ok").asBoolean(), run.stderr());
        assertTrue(run.report().get("messages").asLong() > 0, run.stderr());
        for (String failures : new String[] {"verify_failures", "connect_errors", "resets", "closed_early",
            "unanswered"}) {
            assertEquals(0, run.report().get(failures).asLong(), failures + ": " + run.stderr());
        }
    }

    private static void assertRefused(CLoadGenerator.Run run, String error) {
        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.report().isEmpty(), "no report for bad flags");
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        assertTrue(run.stderr().contains(error), run.stderr());
    }
}
