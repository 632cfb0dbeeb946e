package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.client.ShoutClientHarness.Outcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ShoutClientTest {

    private static final String HINT = "Try 'shout --help' for more information.";

    @Test
    void messageOptionPrintsTheReply() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            Outcome outcome = shout("", false, server.port(), "-m", "hello");
            assertEquals(new Outcome(0, "HELLO%n".formatted(), ""), outcome);
        }
    }

    @Test
    void interactiveOptionPromptsEvenThroughAPipe() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            Outcome outcome = shout("hello\n\n   \nexit\n", false, server.port(), "-i");
            assertEquals(new Outcome(0, ">>: HELLO%n>>: >>: >>: ".formatted(), ""), outcome);
        }
    }

    /** Here stdin is a pipe whatever the caller says, so the line editor finds no terminal to take over. */
    @Test
    void terminalThatNoLineEditorCanDriveStillGetsThePromptLoopAndOneLineSayingWhy() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            Outcome outcome = shout("hi\n", true, server.port());
            assertEquals(0, outcome.exitCode());
            assertEquals(">>: HI%n>>: %n".formatted(), outcome.out());
            assertEquals(1, outcome.errLines().size(), outcome.err());
            assertTrue(outcome.err().startsWith("shout: no line editing: "), outcome.err());
        }
    }

    @Test
    void pipedStdinIsStreamedAsIs() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            Outcome outcome = shout("hello\n\nworld", false, server.port());
            assertEquals(new Outcome(0, "HELLO\n\nWORLD", ""), outcome);
        }
    }

    @Test
    void refusedConnectionExitsWith1AndOneLine() throws IOException {
        int port = TestServer.unusedPort();
        Outcome outcome = shout("", false, port, "-m", "hello");
        assertEquals(1, outcome.exitCode());
        assertEquals(List.of("shout: cannot connect to 127.0.0.1:" + port + ": connection refused"),
                outcome.errLines());
    }

    @Test
    void serverHangingUpMidConversationExitsWith1AndOneLine() throws IOException {
        try (TestServer server = TestServer.hangingUpAfterOneLine()) {
            Outcome outcome = shout("hello\n", false, server.port(), "-i");
            assertEquals(1, outcome.exitCode());
            assertEquals(List.of("shout: connection closed by 127.0.0.1:" + server.port()), outcome.errLines());
        }
    }

    @Test
    void unknownOptionExitsWith2AndAShortHint() {
        Outcome outcome = shout("--bogus");
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of("shout: Unknown option: '--bogus'", HINT), outcome.errLines());
    }

    @Test
    void zeroConnectTimeoutIsRejectedWithTheDocumentedMessage() {
        Outcome outcome = shout("--connect-timeout", "0s");
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of("shout: --connect-timeout: 0s (expected: > 0)", HINT), outcome.errLines());
    }

    @Test
    void negativeConnectTimeoutIsRejectedWithTheDocumentedMessage() {
        Outcome outcome = shout("--connect-timeout=-5s");
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of("shout: --connect-timeout: -5s (expected: > 0)", HINT), outcome.errLines());
    }

    @Test
    void portOutsideTheTcpRangeIsRejected() {
        Outcome outcome = shout("--port", "65536");
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of("shout: --port: 65536 (expected: 1..65535)", HINT), outcome.errLines());
    }

    @Test
    void helpDescribesTheOptionsAndExits0() {
        Outcome outcome = shout("--help");
        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.out().startsWith("Usage: shout"), outcome.out());
        assertTrue(outcome.out().contains("--connect-timeout=<duration>"), outcome.out());
        assertEquals("", outcome.err());
    }

    @Test
    void versionIsTheOneThePomGivesAndExits0() {
        Outcome outcome = shout("--version");
        assertEquals(0, outcome.exitCode());
        assertEquals("shout " + System.getProperty("project.version") + System.lineSeparator(), outcome.out());
    }

    private static Outcome shout(String stdin, boolean stdinIsTerminal, int port, String... args) {
        String[] withServer = Stream.concat(
                Stream.of("--host", TestServer.HOST, "--port", String.valueOf(port)), Stream.of(args))
                .toArray(String[]::new);
        InputStream typed = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return ShoutClientHarness.run(typed, stdinIsTerminal, withServer);
    }

    /** For runs that end before connecting; any connection attempt would still stay on loopback. */
    private static Outcome shout(String... args) {
        String[] onLoopback = Stream.concat(Stream.of("--host", TestServer.HOST), Stream.of(args))
                .toArray(String[]::new);
        return ShoutClientHarness.run(onLoopback);
    }
}
