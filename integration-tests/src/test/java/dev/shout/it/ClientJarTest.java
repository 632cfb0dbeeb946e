package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bundled client jar against the server jar, both as OS processes, as a user runs them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientJarTest {

    private static ServerProcess upper;
    private static ServerProcess echo;

    @BeforeAll
    static void startServers() {
        upper = ServerProcess.start("--workers", "2");
        echo = ServerProcess.start("--mode", "thread", "--transform", "echo");
    }

    @AfterAll
    static void stopServers() {
        upper.close();
        echo.close();
    }

    private static String port(ServerProcess server) {
        return Integer.toString(server.port());
    }

    @Test
    void messageModePrintsTheWholeReply() throws IOException {
        ClientProcess.Result result = ClientProcess.run(new byte[0], "--port", port(upper), "-m", "héllo wörld straße");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("HÉLLO WÖRLD STRASSE\n", result.stdoutText());
    }

    @Test
    void pipedStdinIsStreamedLikeNetcatAndTheClientExitsWhenTheServerCloses() throws IOException {
        ClientProcess.Result result = ClientProcess.run("abc".getBytes(UTF_8), "--port", port(upper));
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("ABC", result.stdoutText());
    }

    @Test
    void streamModeIsBinarySafe() throws IOException {
        byte[] bytes = new byte[2 << 20];
        new Random(11).nextBytes(bytes);
        ClientProcess.Result result = ClientProcess.run(bytes, "--port", port(echo));
        assertEquals(0, result.exitCode(), result.stderr());
        assertArrayEquals(bytes, result.stdout());
    }

    @Test
    void interactiveLoopThroughAPipePromptsSkipsBlankLinesAndPrintsLongRepliesWhole() throws IOException {
        String longLine = "ß".repeat(3000);
        String input = "hello\n\n   \nwörld\n" + longLine + "\nexit\nnever sent\n";
        ClientProcess.Result result = ClientProcess.run(input.getBytes(UTF_8), "--port", port(upper), "-i");
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> replies = List.of(result.stdoutText().split(">>: ", -1));
        // A prompt before every line read, as the exercise's input('>>: ') does; blank lines get no reply.
        assertEquals(List.of("", "HELLO\n", "", "", "WÖRLD\n", longLine.toUpperCase(Locale.ROOT) + "\n", ""), replies,
                "the reply of 6000 bytes in one piece; nothing after exit");
    }

    @Test
    void refusedConnectionFailsWithOneLineAndExitOne() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = probe.getLocalPort();
        }
        ClientProcess.Result result = ClientProcess.run(new byte[0], "--port", Integer.toString(closedPort), "-m", "x");
        assertEquals(1, result.exitCode());
        assertEquals(List.of("shout: cannot connect to 127.0.0.1:" + closedPort + ": connection refused"),
                result.stderr().lines().toList());
        assertTrue(result.stdoutText().isEmpty());
    }
}
