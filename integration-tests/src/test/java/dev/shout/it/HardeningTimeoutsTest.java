package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --idle-timeout} and {@code --half-closed-timeout}, at one second: clients that go
 * quiet, or half-close and stop reading, are closed after them, and no sooner; clients that keep
 * talking or reading are not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HardeningTimeoutsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Timers fire on an event loop's next turn; the closing end of the window. */
    private static final Duration LATE = Duration.ofSeconds(10);
    /**
     * What the half-closed clients send, so are owed: twice what the server's socket can hold,
     * so that the server still has bytes to send when it reads their half-close.
     */
    private static final int OWED = (int) Math.min(2 * KernelBuffers.largestSendBuffer(), 48 << 20);
    private static final int SMALL_WINDOW = 4096;
    /** The slowly reading client takes this much every 50 ms: its reply takes some seconds, the timeout one. */
    private static final int SLOW_READ = 64 << 10;
    /** For the slowly reading client: 60 times its pause between reads, and about half its reply's time. */
    private static final Duration PATIENT_HALF_CLOSED_TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension
    static final Servers servers = new Servers("timeouts", "--metrics-port", "0");

    private static LeakCheckedServer idleServer(ServerMode mode) {
        return servers.get(mode, "--idle-timeout", "1s");
    }

    /** Idle timeout off; the server may owe up to 64 MiB, so it reads what the clients send, half-close included, at once. */
    private static LeakCheckedServer halfClosedServer(ServerMode mode) {
        return halfClosedServer(mode, TIMEOUT);
    }

    private static LeakCheckedServer halfClosedServer(ServerMode mode, Duration halfClosedTimeout) {
        return servers.get(mode, "--idle-timeout", "0", "--half-closed-timeout",
                halfClosedTimeout.toSeconds() + "s", "--max-pending-bytes", "67108864");
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aClientThatGoesQuietIsClosedAfterTheIdleTimeout(ServerMode mode) throws IOException {
        LeakCheckedServer server = idleServer(mode);
        TimeoutCloses closes = TimeoutCloses.before(server);
        try (Socket client = TcpClient.connect(server.port())) {
            ping(client);
            assertClosedAsIdle(closes, client, System.nanoTime());
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aClientThatNeverSendsIsClosedAfterTheIdleTimeout(ServerMode mode) throws IOException {
        LeakCheckedServer server = idleServer(mode);
        TimeoutCloses closes = TimeoutCloses.before(server);
        long connectedAt = System.nanoTime();
        try (Socket client = TcpClient.connect(server.port())) {
            assertClosedAsIdle(closes, client, connectedAt);
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aClientThatKeepsTalkingOutlivesTheIdleTimeout(ServerMode mode) throws IOException {
        LeakCheckedServer server = idleServer(mode);
        try (Socket client = TcpClient.connect(server.port())) {
            long until = System.nanoTime() + 3 * TIMEOUT.toNanos();
            while (System.nanoTime() < until) {
                ping(client); // answered every time: never closed while it talks
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aHalfClosedClientThatReadsNothingIsClosedAfterTheHalfClosedTimeout(ServerMode mode) throws IOException {
        LeakCheckedServer server = halfClosedServer(mode);
        TimeoutCloses closes = TimeoutCloses.before(server);
        byte[] payload = Reference.randomText(new Random(7), OWED);
        try (Socket client = smallWindowClient(server.port())) {
            client.getOutputStream().write(payload);
            client.shutdownOutput();
            long halfClosedAt = System.nanoTime();
            ProcFs.awaitServerClosed(server.port(), client.getLocalPort(), LATE);
            assertClosedWithin(halfClosedAt);
            closes.awaitSummary("half-closed and read nothing for 1s \\(--half-closed-timeout\\)");
            byte[] received = readUntilClosed(client.getInputStream());
            byte[] expected = Reference.upper(payload);
            assertTrue(received.length < expected.length, "it got all it was owed: nothing to time out");
            assertArrayEquals(Arrays.copyOf(expected, received.length), received, "what it got is a prefix of its reply");
            closes.awaitCounted("half_closed");
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aHalfClosedClientStillReadingGetsEveryByteItIsOwed(ServerMode mode) throws Exception {
        // The client reads every 50 ms and its reply takes about two of these timeouts. At 1 s, any
        // one-second stall of this test's JVM (a collection on a loaded machine) read as the client
        // stopping: the suite failed so once in both modes while the machine ran at a load of 15.
        LeakCheckedServer server = halfClosedServer(mode, PATIENT_HALF_CLOSED_TIMEOUT);
        byte[] payload = Reference.randomText(new Random(8), OWED);
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        try (Socket client = smallWindowClient(server.port())) {
            client.getOutputStream().write(payload);
            client.shutdownOutput();
            assertArrayEquals(Reference.upper(payload), readSlowly(client.getInputStream(), pace),
                    "a client reading 64 KiB every 50 ms, some seconds for its reply, lost bytes");
        } finally {
            pace.shutdownNow();
        }
    }

    private static void ping(Socket client) throws IOException {
        client.getOutputStream().write("ping\n".getBytes(UTF_8));
        assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(client, 5));
    }

    /** The server ends the connection cleanly, a timeout after {@code quietSinceNanos}, and counts it. */
    private static void assertClosedAsIdle(TimeoutCloses closes, Socket client, long quietSinceNanos)
            throws IOException {
        assertEquals(-1, client.getInputStream().read(), "a clean end of stream");
        assertClosedWithin(quietSinceNanos);
        closes.awaitSummary("idle for 1s \\(--idle-timeout\\)");
        closes.awaitCounted("idle");
    }

    /** A client whose receive window is a few kilobytes: what it does not read stays with the server. */
    private static Socket smallWindowClient(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(SMALL_WINDOW);
        socket.connect(new InetSocketAddress("127.0.0.1", port), TcpClient.CONNECT_TIMEOUT_MILLIS);
        socket.setSoTimeout(TcpClient.READ_TIMEOUT_MILLIS);
        return socket;
    }

    private static void assertClosedWithin(long sinceNanos) {
        Duration after = Duration.ofNanos(System.nanoTime() - sinceNanos);
        assertTrue(after.compareTo(TIMEOUT.minusMillis(100)) >= 0, "closed after " + after + ", before the timeout");
        assertTrue(after.compareTo(LATE) < 0, "closed only after " + after);
    }

    /** Everything until the end of stream, or until the connection is reset. */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // the server closed with bytes still in flight: what came before the reset counts
        }
        return received.toByteArray();
    }

    /** Reads {@link #SLOW_READ} bytes every 50 ms until the end of stream: slowly, but never stopping. */
    private static byte[] readSlowly(InputStream in, ScheduledExecutorService pace) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        pace.scheduleAtFixedRate(() -> {
            try {
                byte[] chunk = in.readNBytes(SLOW_READ);
                received.write(chunk, 0, chunk.length);
                if (chunk.length < SLOW_READ) {
                    done.complete(received.toByteArray());
                }
            } catch (IOException e) {
                done.completeExceptionally(new UncheckedIOException(e));
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        return done.get(60, TimeUnit.SECONDS);
    }
}
