package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --max-connections-per-ip}: a connection over the limit is closed at once while other
 * addresses are served; a burst of refusals is logged as a summary a second, not line by line;
 * and a flood of connect/close cycles leaves neither descriptors nor counts behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HardeningAddressLimitTest {

    private static final int LIMIT = 3;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Closed "at once": long before any timeout, with room for a loaded machine. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final Pattern SUMMARY =
            Pattern.compile("refused (\\d+) connections in the last second: over --max-connections-per-ip 1$");

    @RegisterExtension
    static final Servers servers = new Servers("address-limit");

    private static LeakCheckedServer limitedTo3(ServerMode mode) {
        return servers.get(mode, "--max-connections-per-ip", Integer.toString(LIMIT));
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aConnectionOverTheLimitIsClosedAtOnceWhileAnotherAddressIsServed(ServerMode mode) throws Exception {
        LeakCheckedServer server = limitedTo3(mode);
        List<Socket> held = new ArrayList<>();
        try {
            holdServedFrom127001(server.port(), held);
            try (Socket over = LoopbackAddresses.connectFrom("127.0.0.1", server.port())) {
                assertClosedAtOnce(over);
            }
            try (Socket elsewhere = servedConnection(server.port(), LoopbackAddresses.other(0))) {
                for (Socket socket : held) {
                    assertPingAnswered(socket);
                }
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        Await.until("127.0.0.1 served again once its connections closed", WAIT, () -> isServed(server.port()));
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aBurstOfRefusalsIsLoggedAsASummaryNotLineByLine(ServerMode mode) throws Exception {
        LeakCheckedServer server = servers.get(mode, "--max-connections-per-ip", "1");
        int refusals = 200;
        try (Socket held = servedConnection(server.port(), "127.0.0.1")) {
            long start = System.nanoTime();
            for (int i = 0; i < refusals; i++) {
                try (Socket over = LoopbackAddresses.connectFrom("127.0.0.1", server.port())) {
                    assertClosedAtOnce(over);
                }
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            Await.until("summaries counting " + refusals + " refusals", WAIT,
                    () -> summarised(server).stream().mapToInt(Integer::intValue).sum() >= refusals);
            List<Integer> summaries = summarised(server);
            assertTrue(summaries.stream().mapToInt(Integer::intValue).sum() == refusals, "counted: " + summaries);
            assertTrue(summaries.size() <= seconds + 2, refusals + " refusals in " + seconds + " s logged as "
                    + summaries.size() + " lines: " + summaries);
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aFloodOfConnectCloseCyclesLeavesNoDescriptorOrCountBehind(ServerMode mode) throws Exception {
        LeakCheckedServer server = limitedTo3(mode);
        // Warm up from many addresses, not to be refused (see holdServedFrom127001).
        ManyClients.run(200, 1, n -> servedConnection(server.port(), LoopbackAddresses.other(n)).close());
        OpenDescriptors before = OpenDescriptors.count(server.pids());
        ManyClients.run(5_000, 8, n -> LoopbackAddresses.connectFrom("127.0.0.1", server.port()).close());
        before.awaitBackToThese(WAIT);
        List<Socket> held = new ArrayList<>();
        try {
            holdServedFrom127001(server.port(), held);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /**
     * Adds to {@code held} connections from 127.0.0.1, each answered, up to the limit. The server
     * counts a closed connection out only once it has seen the close, so just after others closed
     * one may be refused; a refused one counts for nothing, and the next try comes.
     */
    private static void holdServedFrom127001(int port, List<Socket> held) {
        while (held.size() < LIMIT) {
            held.add(Await.value("connection " + (held.size() + 1) + " from 127.0.0.1 served", WAIT,
                    () -> servedOrRefused(port)));
        }
    }

    /** The counts in the refusal summaries logged so far, one per line. */
    private static List<Integer> summarised(LeakCheckedServer server) {
        List<Integer> counts = new ArrayList<>();
        for (String line : server.logSince(0, SUMMARY.pattern())) {
            Matcher summary = SUMMARY.matcher(line);
            summary.find();
            counts.add(Integer.parseInt(summary.group(1)));
        }
        return counts;
    }

    private static Socket servedConnection(int port, String from) throws IOException {
        Socket socket = LoopbackAddresses.connectFrom(from, port);
        assertPingAnswered(socket);
        return socket;
    }

    private static boolean isServed(int port) {
        Socket socket = servedOrRefused(port);
        closeQuietly(socket);
        return socket != null;
    }

    /** A connection from 127.0.0.1 that was answered, or null if the server refused it (which counts nothing). */
    private static Socket servedOrRefused(int port) {
        Socket socket = null;
        try {
            socket = LoopbackAddresses.connectFrom("127.0.0.1", port);
            assertPingAnswered(socket);
            return socket;
        } catch (IOException | AssertionError refused) {
            closeQuietly(socket);
            return null;
        }
    }

    private static void assertPingAnswered(Socket socket) throws IOException {
        socket.getOutputStream().write("ping\n".getBytes(UTF_8));
        assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(socket, 5));
    }

    /** The server ends the connection without a byte: end of stream, or a reset. */
    private static void assertClosedAtOnce(Socket socket) throws IOException {
        socket.setSoTimeout((int) AT_ONCE.toMillis());
        try {
            assertTrue(socket.getInputStream().read() == -1, "a refused connection got a byte");
        } catch (SocketException reset) {
            // closed, by a reset
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing a test's client
        }
    }
}
