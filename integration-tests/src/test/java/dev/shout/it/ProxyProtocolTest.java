package dev.shout.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --proxy-protocol any --proxy-trusted 127.0.0.1/32}: the test is the balancer at
 * 127.0.0.1 and writes its headers itself ({@link ProxyHeaders}). The client a header names is
 * served without the header ever coming back, and is the one {@code --max-connections-per-ip 1}
 * counts; any other peer (127.0.1.x) is closed at once; a missing, late or bad header closes the
 * connection; every refusal is counted by reason and summarised in the log.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyProtocolTest {

    /** Closed "at once": long before any timeout, with room for a loaded machine. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final String REFUSED = "shout_connections_refused_total{reason=\"%s\"}";

    @RegisterExtension
    static final Servers servers = new Servers("proxy-protocol");

    private static LeakCheckedServer server(ServerMode mode) {
        return servers.get(mode, "--proxy-protocol", "any", "--proxy-trusted", "127.0.0.1/32",
                "--proxy-header-timeout", "1s", "--max-connections-per-ip", "1", "--metrics-port", "0");
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void v1AndV2HeadersThenDataGetTheDataBackUppercasedWithoutTheHeader(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        for (byte[] header : List.of(ProxyHeaders.v1("203.0.113.1", 50_001, server.port()),
                ProxyHeaders.v2("203.0.113.2", 50_002, server.port()))) {
            try (Socket socket = LoopbackAddresses.connectFrom("127.0.0.1", server.port())) {
                socket.getOutputStream().write(concat(header, "hello, proxy\n".getBytes(UTF_8)));
                assertArrayEquals("HELLO, PROXY\n".getBytes(UTF_8), TcpClient.readExactly(socket, 13));
                assertPingAnswered(socket);
            }
        }
    }

    /**
     * The header, the client's bytes and its half-close together, as a balancer relays a short
     * request: the whole reply comes back however the half-close and the admission (the
     * master's answer, in process mode) fall.
     */
    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aClientThatHalfClosesWithItsHeaderGetsItsWholeReply(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        for (int i = 0; i < 20; i++) {
            try (Socket socket = LoopbackAddresses.connectFrom("127.0.0.1", server.port())) {
                socket.getOutputStream().write(concat(ProxyHeaders.v2("203.0.113." + (30 + i), 50_030 + i,
                        server.port()), "half-closed\n".getBytes(UTF_8)));
                socket.shutdownOutput();
                assertArrayEquals("HALF-CLOSED\n".getBytes(UTF_8), socket.getInputStream().readAllBytes());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void theClientInTheHeaderIsTheOneLimitedPerAddressNotTheBalancer(ServerMode mode) throws Exception {
        assertLimitedAsItselfWhileOthersAreServed(server(mode), "203.0.113.7", "203.0.113.8");
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void anIpv6ClientIsLimitedPerAddressAsItself(ServerMode mode) throws Exception {
        assertLimitedAsItselfWhileOthersAreServed(server(mode), "2001:db8::7", "2001:db8::8");
    }

    /**
     * Under {@code --max-connections-per-ip 1}: {@code client} and {@code other}, each through the
     * balancer at 127.0.0.1, both served; {@code client} again, its v1 header after a v2 one, is
     * closed at once and counted, while its first connection is served on.
     */
    private static void assertLimitedAsItselfWhileOthersAreServed(LeakCheckedServer server, String client,
            String other) throws IOException {
        Counts before = Counts.of(server);
        try (Socket first = proxied(server, ProxyHeaders.v2(client, 50_001, server.port()));
                Socket another = proxied(server, ProxyHeaders.v1(other, 50_002, server.port()))) {
            assertPingAnswered(first);
            assertPingAnswered(another);
            try (Socket again = proxied(server, ProxyHeaders.v1(client, 50_003, server.port()))) {
                writeUnlessClosed(again, "ping\n".getBytes(UTF_8));
                assertClosedAtOnce(again);
            }
            before.awaitCounted("per_ip_limit");
            assertPingAnswered(first);
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aLocalHeaderIsServedAsTheBalancersOwnHealthCheck(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        try (Socket check = proxied(server, ProxyHeaders.v2Local());
                Socket another = proxied(server, ProxyHeaders.v2Local())) {
            assertPingAnswered(check);
            assertPingAnswered(another);
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aPeerThatIsNotATrustedBalancerIsClosedAtOnceAndCounted(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        Counts before = Counts.of(server);
        try (Socket untrusted = LoopbackAddresses.connectFrom(LoopbackAddresses.other(200), server.port())) {
            writeUnlessClosed(untrusted, concat(ProxyHeaders.v1("203.0.113.20", 50_020, server.port()),
                    "ping\n".getBytes(UTF_8)));
            assertClosedAtOnce(untrusted);
        }
        before.awaitCounted("untrusted_proxy");
        before.awaitSummary("not from a balancer in --proxy-trusted");
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aConnectionWithoutAHeaderIsClosedAfterTheHeaderTimeoutAndCounted(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        Counts before = Counts.of(server);
        try (Socket silent = LoopbackAddresses.connectFrom("127.0.0.1", server.port())) {
            long start = System.nanoTime();
            silent.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            assertEquals(-1, readOrReset(silent), "a connection without a header got a byte");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 900, "closed after " + waited + " ms, before --proxy-header-timeout 1s");
        }
        before.awaitCounted("proxy_header_timeout");
        before.awaitSummary("no whole PROXY header within 1s \\(--proxy-header-timeout\\)");
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void garbageIsABadHeaderCountedWithoutAStackTrace(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        Counts before = Counts.of(server);
        try (Socket socket = LoopbackAddresses.connectFrom("127.0.0.1", server.port())) {
            writeUnlessClosed(socket, "GET / HTTP/1.1\r\nHost: shout\r\n\r\n".getBytes(US_ASCII));
            assertClosedAtOnce(socket);
        }
        before.awaitCounted("bad_proxy_header");
        before.awaitSummary("no valid PROXY header \\(--proxy-protocol any\\)");
        List<String> lines = server.log();
        List<String> traces = lines.subList(before.logLines(), lines.size()).stream()
                .filter(line -> line.startsWith("\tat ") || line.contains("Exception")).toList();
        assertEquals(List.of(), traces, "a bad header was logged with its exception");
    }

    /** A connection from the balancer at 127.0.0.1 that has sent {@code header}. */
    private static Socket proxied(LeakCheckedServer server, byte[] header) throws IOException {
        Socket socket = LoopbackAddresses.connectFrom("127.0.0.1", server.port());
        socket.getOutputStream().write(header);
        return socket;
    }

    private static void assertPingAnswered(Socket socket) throws IOException {
        socket.getOutputStream().write("ping\n".getBytes(UTF_8));
        assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(socket, 5));
    }

    /** The server ends the connection without a byte: end of stream, or a reset. */
    private static void assertClosedAtOnce(Socket socket) throws IOException {
        socket.setSoTimeout((int) AT_ONCE.toMillis());
        assertEquals(-1, readOrReset(socket), "a refused connection got a byte");
    }

    /** The next byte, or -1 at the end of the stream or on a reset. */
    private static int readOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** Writes, unless the server already closed the connection: it may refuse before the bytes are out. */
    private static void writeUnlessClosed(Socket socket, byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
        } catch (IOException closedAlready) {
            // what the test checks next
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(first);
        both.writeBytes(second);
        return both.toByteArray();
    }

    /** What the server had counted and logged before a refusal, to wait for what it says of that refusal. */
    private record Counts(LeakCheckedServer server, MetricsEndpoint metrics, Map<String, Double> refused,
            int logLines) {

        static Counts of(LeakCheckedServer server) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            return new Counts(server, metrics, metrics.scrape(), server.log().size());
        }

        void awaitCounted(String reason) {
            String sample = String.format(REFUSED, reason);
            metrics.await(sample, refused.getOrDefault(sample, 0.0) + 1);
        }

        /** Waits for a refusal summary, {@code summary} being what follows "refused N connections in the last second: ". */
        void awaitSummary(String summary) {
            server.awaitLogAfter(logLines, "refused \\d+ connections in the last second: " + summary);
        }
    }
}
