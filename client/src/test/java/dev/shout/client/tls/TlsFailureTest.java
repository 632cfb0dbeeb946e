package dev.shout.client.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shout.client.TestCertificate;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.EOFException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exceptions shaped as the JDK, BoringSSL and Netty throw them, each turned into its one phrase.
 * The real handshakes behind them are in the client's and the bench's tests.
 */
@Timeout(30)
class TlsFailureTest {

    private static final Instant EXPIRY = Instant.parse("2026-11-30T12:00:00Z");

    @RegisterExtension
    static final TestCertificate server =
            TestCertificate.forHost("elsewhere.example", EXPIRY.minus(Duration.ofDays(30)), EXPIRY);
    @RegisterExtension
    static final TestCertificate issuer =
            TestCertificate.forHost("Test CA", EXPIRY.minus(Duration.ofDays(90)), EXPIRY.minus(Duration.ofDays(1)));

    @Test
    void expiredServerCertificateSaysTheDay() throws Exception {
        assertReason("certificate expired on 2026-11-30", pathValidationFailed(BasicReason.EXPIRED, 0));
    }

    @Test
    void expiredIssuerIsNamed() throws Exception {
        assertReason("issuer's certificate (CN=Test CA) expired on 2026-11-29",
                pathValidationFailed(BasicReason.EXPIRED, 1));
    }

    @Test
    void expiredCertificateTrustedAsItsOwnAuthoritySaysTheDay() throws Exception {
        assertReason("certificate expired on 2026-11-30",
                handshake(refused("localhost", new CertificateExpiredException("NotAfter: ..."))));
    }

    @Test
    void notYetValidSaysFromWhen() throws Exception {
        assertReason("certificate not valid until 2026-10-31", pathValidationFailed(BasicReason.NOT_YET_VALID, 0));
    }

    @Test
    void certificateForAnotherHostSaysWhomFor() throws Exception {
        assertReason("certificate is for elsewhere.example, not localhost", handshake(refused("localhost",
                new CertificateException("No subject alternative DNS name matching localhost found."))));
    }

    @Test
    void certificateForAnotherAddressSaysWhomFor() throws Exception {
        assertReason("certificate is for elsewhere.example, not 127.0.0.1", handshake(refused("127.0.0.1",
                new CertificateException("No subject alternative names matching IP address 127.0.0.1 found"))));
    }

    @Test
    void nettysLongerHostMismatchMessageReadsTheSame() throws Exception {
        CertificateException jdk = refused("localhost",
                new CertificateException("No subject alternative DNS name matching localhost found."));
        CertificateException netty = new CertificateException(jdk.getMessage()
                + " Subject alternative DNS names in the certificate chain: elsewhere.example", jdk);
        assertReason("certificate is for elsewhere.example, not localhost", handshake(netty));
    }

    @Test
    void unknownAuthoritySaysHowToTrustOne() throws Exception {
        CertificateException pkix = new CertificateException("PKIX path building failed",
                new CertPathBuilderException("unable to find valid certification path to requested target"));
        assertReason(TlsFailure.NOT_TRUSTED, handshake(refused("localhost", pkix)));
    }

    @Test
    void noTrustAnchorIsNotTrustedEither() throws Exception {
        CertPathValidatorException noAnchor = new CertPathValidatorException("Path does not chain with any of the"
                + " trust anchors", null, path(), -1, PKIXReason.NO_TRUST_ANCHOR);
        assertReason(TlsFailure.NOT_TRUSTED,
                handshake(refused("localhost", new CertificateException("PKIX path validation failed", noAnchor))));
    }

    @Test
    void otherValidatorReasonsAreSaid() throws Exception {
        assertReason("certificate refused: invalid signature", pathValidationFailed(BasicReason.INVALID_SIGNATURE, 0));
    }

    @Test
    void certificateRequiredAlertAsksForOne() {
        assertReason(TlsFailure.CLIENT_CERTIFICATE_REQUIRED, new SSLException("Received fatal alert: certificate_required"));
        assertReason(TlsFailure.CLIENT_CERTIFICATE_REQUIRED, new SSLHandshakeException(
                "error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED"));
    }

    @Test
    void certificateAlertsBlameTheClientCertificateShown() {
        assertEquals(Optional.of("server refused the client certificate (alert: unknown_ca)"),
                TlsFailure.describe(new SSLHandshakeException("Received fatal alert: unknown_ca"), true));
        assertEquals(Optional.of("server refused the client certificate (alert: bad_certificate)"),
                TlsFailure.describe(new SSLHandshakeException(
                        "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE"), true));
    }

    /** The JDK's server says {@code bad_certificate} to a client that showed none. */
    @Test
    void certificateAlertsToAClientThatShowedNoneAskForOne() {
        assertEquals(Optional.of(TlsFailure.CLIENT_CERTIFICATE_REQUIRED),
                TlsFailure.describe(new SSLException("Received fatal alert: bad_certificate"), false));
    }

    @Test
    void certificateAlertsToAClientNotKnownToHaveShownOneSayBoth() {
        assertReason("server refused the client certificate, or wants one (alert: unknown_ca)",
                new SSLHandshakeException("Received fatal alert: unknown_ca"));
    }

    @Test
    void otherAlertsRefuseTheHandshake() {
        assertReason("server refused the TLS handshake (alert: handshake_failure)",
                new SSLHandshakeException("Received fatal alert: handshake_failure"));
    }

    @Test
    void bytesThatAreNoTlsMeanAServerWithoutTls() {
        assertReason(TlsFailure.NOT_TLS, new SSLException("Unsupported or unrecognized SSL message"));
        assertReason(TlsFailure.NOT_TLS, new SSLHandshakeException("Unexpected handshake message: client_hello"));
        assertReason(TlsFailure.NOT_TLS, new NotSslRecordException("not an SSL/TLS record: 48454c4c4f0a"));
        assertReason(TlsFailure.NOT_TLS,
                new SSLHandshakeException("error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER"));
        assertReason(TlsFailure.NOT_TLS,
                new SSLHandshakeException("error:100000df:SSL routines:OPENSSL_internal:UNEXPECTED_MESSAGE"));
    }

    @Test
    void closedDuringTheHandshakeIsSaid() {
        SSLHandshakeException jdk = new SSLHandshakeException("Remote host terminated the handshake");
        jdk.initCause(new EOFException("SSL peer shut down incorrectly"));
        assertReason(TlsFailure.CLOSED, jdk);
        assertReason(TlsFailure.CLOSED,
                new SSLHandshakeException("Connection closed while SSL/TLS handshake was in progress"));
    }

    @Test
    void handshakeTimeoutAsksWhetherTheServerSpeaksTls() {
        assertReason(TlsFailure.TIMED_OUT, new SslHandshakeTimeoutException("handshake timed out after 5000ms"));
    }

    @Test
    void nettysDecoderWrapperIsSeenThrough() {
        assertReason(TlsFailure.NOT_TLS,
                new DecoderException(new SSLException("Unsupported or unrecognized SSL message")));
    }

    @Test
    void anyOtherTlsFailureKeepsItsMessage() {
        assertReason("TLS failed: no appropriate protocol (protocol is disabled or cipher suites are inappropriate)",
                new SSLHandshakeException("No appropriate protocol (protocol is disabled or cipher suites are"
                        + " inappropriate)"));
        assertReason("TLS failed: no shared cipher",
                new SSLHandshakeException("error:10000410:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER"));
    }

    @Test
    void failuresOtherThanTlsAreLeftToTheCaller() {
        assertEquals(Optional.empty(), TlsFailure.describe(new ConnectException("Connection refused")));
    }

    private static void assertReason(String reason, Throwable failure) {
        assertEquals(Optional.of(reason), TlsFailure.describe(failure));
    }

    private static SSLHandshakeException handshake(Throwable cause) {
        SSLHandshakeException handshake = new SSLHandshakeException(String.valueOf(cause.getMessage()));
        handshake.initCause(cause);
        return handshake;
    }

    private static RefusedCertificate refused(String host, CertificateException refusal) throws Exception {
        return new RefusedCertificate(List.of(x509(server), x509(issuer)), host, refusal);
    }

    /** The handshake failing as the JDK's validator refuses the certificate at {@code index} of the path. */
    private static SSLHandshakeException pathValidationFailed(BasicReason reason, int index) throws Exception {
        return handshake(refused("localhost", new CertificateException("PKIX path validation failed",
                new CertPathValidatorException("validity check failed", null, path(), index, reason))));
    }

    private static CertPath path() throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertPath(List.of(x509(server), x509(issuer)));
    }

    private static X509Certificate x509(TestCertificate certificate) throws Exception {
        try (var in = Files.newInputStream(certificate.certificate())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
