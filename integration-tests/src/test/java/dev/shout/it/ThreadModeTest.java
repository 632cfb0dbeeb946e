package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Thread mode, black box: the server jar as a process, driven over real sockets. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThreadModeTest {

    private static ServerProcess server;

    @BeforeAll
    static void startServer() {
        server = ServerProcess.start("--mode", "thread");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void startLineNamesModeTransformAndAddress() {
        String line = server.awaitLog("shout listening on");
        assertTrue(line.contains("mode=thread") && line.contains("transform=upper")
                && line.contains("127.0.0.1:" + server.port()), line);
    }

    @Test
    void unicodeLineComesBackUppercasedWithFullCaseMapping() throws IOException {
        RoundTrips.assertUnicodeLineComesBackFullyUppercased(server.port());
    }

    @Test
    void hundredConcurrentConnectionsGetEveryByteBack() throws Exception {
        RoundTrips.assertConcurrent(server.port(), 100, Reference::upper, RoundTrips::randomText);
    }

    @Test
    void asciiUpperIsExactlyPythonBytesUpperOnRandomBinary() throws Exception {
        try (ServerProcess ascii = ServerProcess.start("--mode", "thread", "--transform", "ascii-upper")) {
            RoundTrips.assertConcurrent(ascii.port(), 20, Reference::asciiUpper, RoundTrips::randomBytes);
        }
    }

    @Test
    void echoSendsRandomBinaryBackUnchanged() throws Exception {
        try (ServerProcess echo = ServerProcess.start("--mode", "thread", "--transform", "echo")) {
            RoundTrips.assertConcurrent(echo.port(), 20, UnaryOperator.identity(), RoundTrips::randomBytes);
        }
    }

    @Test
    void halfClosedClientGetsEveryOwedByte() throws IOException {
        byte[] payload = Reference.randomText(new Random(5), 200_000);
        try (Socket socket = TcpClient.connect(server.port())) {
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
            assertArrayEquals(Reference.upper(payload), socket.getInputStream().readAllBytes());
        }
    }

    @Test
    void clientThatNeverReadsIsNotReadFromWithoutBound() throws IOException {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer chunk = ByteBuffer.wrap(new byte[64 * 1024]);
            long written = 0;
            // Write until the connection stays unwritable for two seconds: the server stopped reading.
            while (selector.select(2_000) > 0 && written < 1L << 30) {
                selector.selectedKeys().clear();
                chunk.clear();
                written += channel.write(chunk);
            }
            assertTrue(written < 64L << 20, "the server kept reading: " + written + " bytes taken");
        }
    }

    @Test
    void unknownFlagExitsTwoWithOneLineErrorAndHint() {
        try (ServerProcess bad = ServerProcess.launch("--bogus")) {
            assertEquals(2, bad.awaitExit(Duration.ofSeconds(30)));
            List<String> lines = bad.logText().lines().toList();
            assertEquals(List.of("shout-server: Unknown option: '--bogus'",
                    "Try 'shout-server --help' for more information."), lines);
        }
    }

    @Test
    void invalidValueExitsTwoNamingTheFlag() {
        try (ServerProcess bad = ServerProcess.launch("--shutdown-timeout", "-1s")) {
            assertEquals(2, bad.awaitExit(Duration.ofSeconds(30)));
            assertTrue(bad.logText().startsWith("shout-server: --shutdown-timeout: -1s (expected: > 0)"),
                    bad.logText());
        }
    }

    @Test
    void portInUseFailsWithOneLineNamingTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1,
                InetAddress.getByName("127.0.0.1"));
                ServerProcess bad = ServerProcess.launch("--mode", "thread", "--port",
                        Integer.toString(taken.getLocalPort()))) {
            assertEquals(1, bad.awaitExit(Duration.ofSeconds(30)));
            assertTrue(bad.logText().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use"), bad.logText());
        }
    }

    @Test
    void sighupIsLoggedAndIgnoredWhileConnectionsGoOn() throws IOException {
        try (Socket client = TcpClient.connect(server.port())) {
            client.getOutputStream().write("before\n".getBytes(UTF_8));
            assertArrayEquals("BEFORE\n".getBytes(UTF_8), TcpClient.readExactly(client, 7));
            server.signal("HUP");
            server.awaitLog("SIGHUP ignored: thread mode has no workers to restart");
            client.getOutputStream().write("after\n".getBytes(UTF_8));
            assertArrayEquals("AFTER\n".getBytes(UTF_8), TcpClient.readExactly(client, 6));
            assertTrue(server.isAlive());
        }
    }

    @Test
    void sigtermDeliversEveryOwedByteToConnectionsMidTransferThenExitsZero() throws Exception {
        try (ServerProcess draining = ServerProcess.start("--mode", "thread", "--shutdown-timeout", "20s")) {
            RoundTrips.assertDrainDeliversEveryOwedByte(draining);
        }
    }

    @Test
    void sigtermClosesIdleConnectionsCleanlyAtTheShutdownTimeout() throws Exception {
        try (ServerProcess draining = ServerProcess.start("--mode", "thread", "--shutdown-timeout", "2s")) {
            RoundTrips.assertStopClosesServedIdleConnectionCleanly(draining, Duration.ofSeconds(10));
        }
    }
}
