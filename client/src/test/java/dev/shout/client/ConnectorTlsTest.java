package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shout.client.tls.TlsConfig;
import dev.shout.client.tls.TlsSetupException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link Connector} over TLS against in-test TLS servers on loopback: the handshake is part of
 * connecting, and each way it can fail is one line saying why.
 */
@Timeout(20)
class ConnectorTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String LOCALHOST = "localhost";
    private static final byte[] REQUEST = "hi\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY = "HI\n".getBytes(StandardCharsets.US_ASCII);

    private static final Instant EXPIRY = Instant.parse("2026-01-31T12:00:00Z");

    @RegisterExtension
    static final TestCertificate localhost = TestCertificate.forHost(LOCALHOST);
    @RegisterExtension
    static final TestCertificate elsewhere = TestCertificate.forHost("elsewhere.example");
    @RegisterExtension
    static final TestCertificate expired =
            TestCertificate.forHost(LOCALHOST, EXPIRY.minus(Duration.ofDays(30)), EXPIRY);
    @RegisterExtension
    static final TestCertificate client = TestCertificate.forHost("shout-client");

    @Test
    void sessionTalksToTheServerOverTls() throws Exception {
        try (TestServer server = TestServer.uppercasingOverTls(localhost)) {
            assertArrayEquals(REPLY, roundTrip(LOCALHOST, server, trusting(localhost.certificate())));
        }
    }

    @Test
    void certificateNoAuthorityVouchesForIsRefusedWhileConnecting() throws Exception {
        try (TestServer server = TestServer.uppercasingOverTls(localhost)) {
            assertCannotConnect(LOCALHOST, server, trusting(null), "certificate not trusted (self-signed or"
                    + " unknown authority; --ca FILE names one to trust)");
        }
    }

    @Test
    void certificateForAnotherHostIsRefusedSayingWhomItIsFor() throws Exception {
        try (TestServer server = TestServer.uppercasingOverTls(elsewhere)) {
            assertCannotConnect(LOCALHOST, server, trusting(elsewhere.certificate()),
                    "certificate is for elsewhere.example, not localhost");
        }
    }

    @Test
    void addressIsCheckedAgainstTheCertificateToo() throws Exception {
        try (TestServer server = TestServer.uppercasingOverTls(localhost)) {
            assertCannotConnect(TestServer.HOST, server, trusting(localhost.certificate()),
                    "certificate is for localhost, not 127.0.0.1");
        }
    }

    @Test
    void expiredCertificateIsRefusedEvenWhenTrustedAsItsOwnAuthority() throws Exception {
        try (TestServer server = TestServer.uppercasingOverTls(expired)) {
            assertCannotConnect(LOCALHOST, server, trusting(expired.certificate()), "certificate expired on 2026-01-31");
        }
    }

    @Test
    void insecureTakesAnyCertificateForAnyHost() throws Exception {
        try (TestServer server = TestServer.uppercasingOverTls(elsewhere)) {
            TlsConfig insecure = new TlsConfig(Optional.empty(), true, Optional.empty(), Optional.empty());
            assertArrayEquals(REPLY, roundTrip(TestServer.HOST, server, insecure));
        }
    }

    @Test
    void clientCertificateIsShownToAServerThatRequiresOne() throws Exception {
        try (TestServer server = TestServer.uppercasingOverTlsRequiring(localhost, client)) {
            TlsConfig mutual = new TlsConfig(Optional.of(localhost.certificate()), false,
                    Optional.of(client.certificate()), Optional.of(client.key()));
            assertArrayEquals(REPLY, roundTrip(LOCALHOST, server, mutual));
        }
    }

    /**
     * TLS 1.3: the server judges the client's certificate after the client's handshake is done,
     * says so in an alert and closes; the client may meet the close writing rather than reading.
     */
    @Test
    void serverRequiringAClientCertificateSaysSoWhenNoneIsShown() throws Exception {
        try (TestServer server = TestServer.uppercasingOverTlsRequiring(localhost, client)) {
            ConnectionFailure failure = assertThrows(ConnectionFailure.class,
                    () -> overTls(LOCALHOST, server, trusting(localhost.certificate())).run(socket -> {
                        for (int line = 0; line < 1000; line++) {
                            socket.getOutputStream().write(REQUEST);
                        }
                        socket.getInputStream().read();
                    }));
            assertEquals("connection to localhost:" + server.port() + " failed: server requires a client certificate"
                    + " from an authority it trusts (--cert FILE --key FILE)", failure.getMessage());
        }
    }

    @Test
    void plaintextServerIsToldApartFromABadCertificate() throws Exception {
        try (TestServer server = TestServer.uppercasing()) {
            assertCannotConnect(TestServer.HOST, server, trusting(null),
                    "server did not answer TLS (is it started with --tls-cert?)");
        }
    }

    @Test
    void serverSilentThroughTheHandshakeTimesOutWithTheConfiguredDuration() throws Exception {
        try (TestServer server = TestServer.start(connection -> connection.getInputStream().readAllBytes())) {
            Connector connector = new Connector(TestServer.HOST, server.port(), Duration.ofMillis(300),
                    Optional.of(TlsLayer.of(trusting(null))));
            ConnectionFailure failure = assertThrows(ConnectionFailure.class, () -> connector.run(socket -> { }));
            assertEquals("cannot connect to 127.0.0.1:" + server.port() + ": no answer to the TLS handshake within"
                    + " 300ms (is the server started with --tls-cert?)", failure.getMessage());
        }
    }

    /** Sends a line, half-closes (close_notify), and reads the reply to the end of the stream. */
    private static byte[] roundTrip(String host, TestServer server, TlsConfig config)
            throws TlsSetupException, ConnectionFailure {
        byte[][] reply = new byte[1][];
        overTls(host, server, config).run(socket -> {
            socket.getOutputStream().write(REQUEST);
            socket.shutdownOutput();
            reply[0] = socket.getInputStream().readAllBytes();
        });
        return reply[0];
    }

    private static void assertCannotConnect(String host, TestServer server, TlsConfig config, String reason)
            throws TlsSetupException {
        ConnectionFailure failure = assertThrows(ConnectionFailure.class,
                () -> overTls(host, server, config).run(socket -> { }));
        assertEquals("cannot connect to " + host + ":" + server.port() + ": " + reason, failure.getMessage());
    }

    private static Connector overTls(String host, TestServer server, TlsConfig config) throws TlsSetupException {
        return new Connector(host, server.port(), TIMEOUT, Optional.of(TlsLayer.of(config)));
    }

    /** Trusting the authorities in {@code ca}, or the JDK's own without it. */
    private static TlsConfig trusting(Path ca) {
        return new TlsConfig(Optional.ofNullable(ca), false, Optional.empty(), Optional.empty());
    }
}
