package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.shout.it.TestCertificates.Issued;
import dev.shout.it.TestCertificates.KeyFormat;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS end to end, in both modes, with Debian's {@code openssl s_client} as the outside client:
 * the handshake in the worker, plaintext clients refused and counted, mutual TLS, and
 * certificates rotated on disk without cutting anyone.
 */
class TlsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static TestCertificates pki;
    /** The thread-mode server's key is PKCS#1 (BEGIN RSA PRIVATE KEY), the workers' PKCS#8. */
    private static Issued pkcs1;
    private static Issued pkcs8;

    @RegisterExtension
    static final Servers servers = new Servers("tls");

    @BeforeAll
    static void certificates() {
        pki = TestCertificates.authority(dir, "shout test CA");
        Instant now = Instant.now();
        pkcs1 = pki.issue("pkcs1", "localhost", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                KeyFormat.PKCS1);
        pkcs8 = pki.localhost("pkcs8");
    }

    private static LeakCheckedServer server(ServerMode mode, String... flags) {
        List<String> all = new ArrayList<>(TlsSockets.serverFlags(mode == ServerMode.THREAD ? pkcs1 : pkcs8));
        all.addAll(List.of("--metrics-port", "0", "--tls-handshake-timeout", "2s"));
        all.addAll(List.of(flags));
        return servers.get(mode, all.toArray(String[]::new));
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void opensslSendsALineAndGetsItBackUppercased(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        try (OpenSslClient client = OpenSslClient.connect(server.port(), pki.ca().certificate())) {
            client.send("hello over tls, café");
            assertEquals("HELLO OVER TLS, CAFÉ", client.await("HELLO"));
        }
        server.awaitLog("TLS by (OpenSSL|the JDK's)");
    }

    /**
     * TLS 1.3's half-close: a client that sends its last line and its close_notify together gets
     * the whole reply, then the server's close. With the OpenSSL provider the engine would close
     * both ways on reading the close_notify, before the reply was encrypted ({@code TlsRecordFramer}).
     */
    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aClientThatClosesItsSideRightAfterItsLastLineGetsTheWholeReply(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        SSLContext trusting = TlsSockets.trusting(pki.ca().certificate());
        for (int i = 0; i < 20; i++) {
            try (SSLSocket socket = TlsSockets.connect(trusting, server.port())) {
                socket.setTcpNoDelay(false);
                socket.getOutputStream().write(("last line " + i + ", café\n").getBytes(UTF_8));
                socket.shutdownOutput();
                assertEquals("LAST LINE " + i + ", CAFÉ\n", new String(socket.getInputStream().readAllBytes(), UTF_8));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aPlaintextClientIsClosedUnansweredAndCountedWithoutAStackTrace(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
        try (Socket plain = TcpClient.connect(server.port())) {
            plain.getOutputStream().write("hello in plaintext\n".getBytes(UTF_8));
            assertEquals(-1, plain.getInputStream().read(), "a plaintext client was answered");
        }
        metrics.await("shout_connections_refused_total{reason=\"not_tls\"}", 1);
        server.awaitLog("refused 1 connections in the last second: not TLS");
        assertFalse(String.join("\n", server.log()).contains("\tat "), "a stack trace in the log");
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aClientThatNeverStartsItsHandshakeIsClosedAfterTheTimeout(ServerMode mode) throws Exception {
        LeakCheckedServer server = server(mode);
        MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
        try (Socket silent = TcpClient.connect(server.port())) {
            assertEquals(-1, silent.getInputStream().read(), "closed without a byte");
        }
        metrics.await("shout_connections_refused_total{reason=\"tls_handshake_timeout\"}", 1);
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void mutualTlsServesAClientWithACertificateAndRefusesOneWithout(ServerMode mode) throws Exception {
        Issued client = pki.localhost("client-" + mode);
        List<String> flags = new ArrayList<>(mode.flags());
        flags.addAll(TlsSockets.serverFlags(pkcs8));
        flags.addAll(List.of("--tls-client-ca", pki.ca().certificate().toString(), "--metrics-port", "0"));
        try (ServerProcess server = ServerProcess.start(flags.toArray(String[]::new))) {
            server.awaitLog("client certificates required");
            try (OpenSslClient with = OpenSslClient.connect(server.port(), pki.ca().certificate(),
                    "-cert", client.certificate().toString(), "-key", client.key().toString())) {
                with.send("mutual");
                assertEquals("MUTUAL", with.await("MUTUAL"));
            }
            try (OpenSslClient without = OpenSslClient.connect(server.port(), pki.ca().certificate())) {
                without.send("no certificate");
                assertNotEquals(0, without.awaitExit(), without.output());
                assertFalse(without.output().contains("NO CERTIFICATE"), "served without a client certificate");
            }
            MetricsEndpoint.of(server::awaitLog).await("shout_connections_refused_total{reason=\"tls_handshake_failed\"}", 1);
        }
    }

    /**
     * In process mode, where the master checks the files and each worker serves them: a new
     * certificate renamed over the old is served to new connections, first by the check of the
     * files, then again at once on SIGUSR1, while a connection opened before carries on and no
     * worker restarts.
     */
    @Test
    void aCertificateRotatedOnDiskIsServedToNewConnectionsWhileOpenOnesCarryOn() throws Exception {
        Path certificate = dir.resolve("served.crt");
        Path key = dir.resolve("served.key");
        SSLContext trusting = TlsSockets.trusting(pki.ca().certificate());
        try (ServerProcess server = serving(ServerMode.PROCESS, pki.localhost("first"), certificate, key);
                SSLSocket open = TlsSockets.connect(trusting, server.port())) {
            List<ProcessHandle> workers = server.children();
            assertEquals("CN=localhost", TlsSockets.serverSubject(open));
            assertPingAnswered(open);

            install(pki.issue("second", "rotated", Instant.now().minus(Duration.ofDays(1)),
                    Instant.now().plus(Duration.ofDays(60)), KeyFormat.PKCS8), certificate, key);
            awaitServed(trusting, server.port(), "CN=rotated");
            assertPingAnswered(open);

            install(pki.issue("third", "signalled", Instant.now().minus(Duration.ofDays(1)),
                    Instant.now().plus(Duration.ofDays(60)), KeyFormat.PKCS8), certificate, key);
            server.signal("USR1");
            awaitServed(trusting, server.port(), "CN=signalled");
            server.awaitLog("SIGUSR1 received");
            Await.until("the master and both workers to reload", WAIT,
                    () -> server.logLines("TLS certificate reloaded: CN=signalled").size() == 3);
            assertPingAnswered(open);
            assertEquals(workers.stream().map(ProcessHandle::pid).toList(),
                    server.children().stream().map(ProcessHandle::pid).toList(), "a worker restarted");
        }
    }

    /** A key that is not the certificate's, renamed in: one line says so, and the old certificate is served on. */
    @Test
    void aRotationToABadCertificateKeepsServingTheOldOne() throws Exception {
        Path key = dir.resolve("kept.key");
        SSLContext trusting = TlsSockets.trusting(pki.ca().certificate());
        try (ServerProcess server = serving(ServerMode.THREAD, pki.localhost("kept"), dir.resolve("kept.crt"), key)) {
            Issued other = pki.localhost("other");
            Files.copy(other.key(), key, StandardCopyOption.REPLACE_EXISTING);
            server.signal("USR1");
            server.awaitLog("TLS certificate not reloaded, still serving CN=localhost.*not the key of the certificate");
            try (SSLSocket socket = TlsSockets.connect(trusting, server.port())) {
                assertPingAnswered(socket);
            }
        }
    }

    /** A server of its own in {@code mode}, serving {@code issued} installed as {@code certificate} and {@code key}. */
    private static ServerProcess serving(ServerMode mode, Issued issued, Path certificate, Path key) throws IOException {
        install(issued, certificate, key);
        List<String> flags = new ArrayList<>(mode.flags());
        flags.addAll(List.of("--tls-cert", certificate.toString(), "--tls-key", key.toString()));
        return ServerProcess.start(flags.toArray(String[]::new));
    }

    private static void install(Issued issued, Path certificate, Path key) throws IOException {
        // As an operator (or cert-manager) should: write beside, then rename over.
        Path newKey = key.resolveSibling(key.getFileName() + ".new");
        Path newCertificate = certificate.resolveSibling(certificate.getFileName() + ".new");
        Files.copy(issued.key(), newKey, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(issued.certificate(), newCertificate, StandardCopyOption.REPLACE_EXISTING);
        Files.move(newKey, key, StandardCopyOption.ATOMIC_MOVE);
        Files.move(newCertificate, certificate, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitServed(SSLContext trusting, int port, String subject) {
        Await.until("new connections to get " + subject, WAIT, () -> {
            try (SSLSocket socket = TlsSockets.connect(trusting, port)) {
                return TlsSockets.serverSubject(socket).equals(subject);
            } catch (IOException e) {
                throw new AssertionError("a new connection failed during the rotation", e);
            }
        });
    }

    private static void assertPingAnswered(Socket socket) throws IOException {
        socket.getOutputStream().write("ping\n".getBytes(UTF_8));
        assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(socket, 5));
    }
}
