package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConnectorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void sessionTalksToTheServer() throws Exception {
        AtomicReference<byte[]> reply = new AtomicReference<>();
        try (TestServer server = TestServer.uppercasing()) {
            new Connector(TestServer.HOST, server.port(), TIMEOUT).run(socket -> {
                socket.getOutputStream().write("hi\n".getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                reply.set(socket.getInputStream().readAllBytes());
            });
        }
        assertArrayEquals("HI\n".getBytes(StandardCharsets.US_ASCII), reply.get());
    }

    @Test
    void socketIsClosedOnceTheSessionIsOver() throws Exception {
        AtomicReference<Socket> used = new AtomicReference<>();
        try (TestServer server = TestServer.uppercasing()) {
            new Connector(TestServer.HOST, server.port(), TIMEOUT).run(used::set);
        }
        assertTrue(used.get().isClosed());
    }

    @Test
    void refusedConnectionNamesTheServer() throws IOException {
        int port = TestServer.unusedPort();
        ConnectionFailure failure = assertThrows(ConnectionFailure.class,
                () -> new Connector(TestServer.HOST, port, TIMEOUT).run(socket -> { }));
        assertEquals("cannot connect to 127.0.0.1:" + port + ": connection refused", failure.getMessage());
    }

    @Test
    void connectTimeoutIsReportedWithTheConfiguredDuration() throws IOException {
        // Nobody accepts and the backlog holds one: once it is full, the kernel drops further
        // connection attempts, and those time out.
        try (ServerSocket neverAccepting = new ServerSocket(0, 1, InetAddress.getByName(TestServer.HOST))) {
            int port = neverAccepting.getLocalPort();
            Connector connector = new Connector(TestServer.HOST, port, Duration.ofMillis(200));
            ConnectionFailure failure = assertThrows(ConnectionFailure.class, () -> {
                while (true) {
                    connector.run(socket -> { });
                }
            });
            assertEquals("cannot connect to 127.0.0.1:" + port + ": timed out after 200ms", failure.getMessage());
        }
    }

    @Test
    void resetByTheServerAfterConnectingIsReportedAsReset() throws IOException {
        // The server resets only once it has read the byte the client sends after connecting.
        try (TestServer server = TestServer.start(connection -> {
            connection.getInputStream().read();
            connection.setSoLinger(true, 0);
        })) {
            ConnectionFailure failure = assertThrows(ConnectionFailure.class,
                    () -> new Connector(TestServer.HOST, server.port(), TIMEOUT).run(socket -> {
                        socket.getOutputStream().write('x');
                        socket.getInputStream().read();
                    }));
            assertEquals("connection reset by 127.0.0.1:" + server.port(), failure.getMessage());
        }
    }

    /**
     * A server that resets a connection as soon as it accepts it can be faster than the client's
     * connect() on loopback: the reset then surfaces from connect, as this socket makes it.
     */
    @Test
    void resetByTheServerBeforeConnectReturnedIsReportedAsReset() throws IOException {
        Supplier<Socket> resetWhileConnecting = () -> new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                super.connect(endpoint, timeout);
                throw new SocketException("Connection reset by peer");
            }
        };
        try (TestServer server = TestServer.uppercasing()) {
            ConnectionFailure failure = assertThrows(ConnectionFailure.class,
                    () -> new Connector(TestServer.HOST, server.port(), TIMEOUT, Optional.empty(), resetWhileConnecting)
                            .run(socket -> { }));
            assertEquals("connection reset by 127.0.0.1:" + server.port(), failure.getMessage());
        }
    }

    @Test
    void endOfStreamIsReportedAsClosedByTheServer() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            ConnectionFailure failure = assertThrows(ConnectionFailure.class,
                    () -> new Connector(TestServer.HOST, server.port(), TIMEOUT).run(socket -> {
                        throw new EOFException();
                    }));
            assertEquals("connection closed by 127.0.0.1:" + server.port(), failure.getMessage());
        }
    }
}
