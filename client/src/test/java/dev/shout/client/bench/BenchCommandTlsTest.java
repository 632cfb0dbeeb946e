package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.client.ShoutClientHarness;
import dev.shout.client.ShoutClientHarness.Outcome;
import dev.shout.client.TestCertificate;
import dev.shout.client.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code shout bench --tls} against an in-test TLS server on loopback: the load runs over TLS,
 * connections count once their handshake is done, and refused handshakes are connect errors by
 * reason. Nothing here judges speed.
 */
@Timeout(60)
class BenchCommandTlsTest {

    /** The test certificate names its host in the subject only, which the host check takes for names only. */
    private static final String HOST = "localhost";

    @RegisterExtension
    static final TestCertificate certificate = TestCertificate.forHost(HOST);

    @Test
    void pingpongOverTlsVerifiesEveryReply() throws IOException {
        Map<String, Object> report = saneRun("--pattern", "pingpong");
        assertTrue((Double) report.get("latency_samples") > 0, report::toString);
        assertEquals(2.0, report.get("connections_established"), "one handshake per held connection");
    }

    @Test
    void streamOverTlsMovesBytesBothWaysAndEndsWithCloseNotify() throws IOException {
        Map<String, Object> report = saneRun("--pattern", "stream");
        assertTrue((Double) report.get("mb_per_s") > 0, report::toString);
    }

    @Test
    void churnOverTlsCountsHandshakes() throws IOException {
        Map<String, Object> report = saneRun("--churn");
        assertTrue((Double) report.get("connections_per_s") > 0, report::toString);
        assertTrue((Double) report.get("connections_established") > 2, report::toString);
    }

    @Test
    void textReportSaysHandshakesAndWhoDoesTls() throws IOException {
        try (TestServer server = TestServer.uppercasingOverTls(certificate)) {
            Outcome outcome = bench(server, "--tls", "--ca", certificate.certificate().toString(), "--churn");
            assertEquals(0, outcome.exitCode(), outcome.err());
            assertTrue(outcome.out().contains(" handshakes/s (connect, full TLS handshake, one message, close)"),
                    outcome.out());
            assertTrue(outcome.out().contains(", TLS by "), outcome.out());
        }
    }

    @Test
    void untrustedCertificateFailsEveryConnectWithTheReason() throws IOException {
        try (TestServer server = TestServer.uppercasingOverTls(certificate)) {
            Outcome outcome = bench(server, "--tls");
            assertEquals(1, outcome.exitCode());
            assertTrue(outcome.out().contains("0 established, 2 connect errors, 0 lost"), outcome.out());
            assertTrue(outcome.err().contains("2 connect errors, the first: certificate not trusted (self-signed or"
                    + " unknown authority; --ca FILE names one to trust)"), outcome.err());
        }
    }

    @Test
    void expiredCertificateIsAConnectErrorNamingTheDay() throws IOException {
        Instant expiry = Instant.parse("2026-01-31T12:00:00Z");
        try (TestCertificate expired = TestCertificate.forHost(HOST, expiry.minus(Duration.ofDays(30)), expiry);
                TestServer server = TestServer.uppercasingOverTls(expired)) {
            Outcome outcome = bench(server, "--tls", "--ca", expired.certificate().toString(), "--churn");
            assertEquals(1, outcome.exitCode());
            assertTrue(outcome.err().contains("connect errors, the first: certificate expired on 2026-01-31"),
                    outcome.err());
            assertTrue(outcome.out().contains("0 established"), outcome.out());
        }
    }

    @Test
    void plaintextServerIsAConnectErrorSayingSo() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            Outcome outcome = bench(server, "--tls", "--insecure");
            assertEquals(1, outcome.exitCode());
            assertTrue(outcome.err().contains("connect errors, the first: server did not answer TLS"), outcome.err());
        }
    }

    @Test
    void insecureWarnsOnceOnStderrAndStillConnects() throws IOException {
        try (TestServer server = TestServer.uppercasingOverTls(certificate)) {
            Outcome outcome = bench(server, "--tls", "--insecure");
            assertEquals(0, outcome.exitCode(), outcome.err());
            assertEquals(List.of("shout bench: warning: --insecure: the server's certificate and host name are not"
                    + " checked, so anyone on the way can read and change the traffic"), outcome.errLines());
        }
    }

    @Test
    void missingCaFileIsOneLineAndExit2() {
        Outcome outcome = ShoutClientHarness.run("bench", "--tls", "--ca", "/nonexistent/ca.pem");
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of("shout bench: --ca /nonexistent/ca.pem: no such file"), outcome.errLines());
        assertEquals("", outcome.out());
    }

    @Test
    void trustFlagsWithoutTlsAreUsageErrors() {
        Outcome outcome = ShoutClientHarness.run("bench", "--insecure");
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of("shout bench: --insecure: only with --tls",
                "Try 'shout bench --help' for more information."), outcome.errLines());
    }

    private static Map<String, Object> saneRun(String... args) throws IOException {
        try (TestServer server = TestServer.uppercasingOverTls(certificate)) {
            Outcome outcome = bench(server, Stream.concat(
                    Stream.of("--tls", "--ca", certificate.certificate().toString(), "--json"), Stream.of(args))
                    .toArray(String[]::new));
            assertEquals(0, outcome.exitCode(), outcome.err());
            Map<String, Object> report = FlatJson.parse(outcome.out());
            assertEquals(true, report.get("ok"), report::toString);
            assertTrue(List.of("openssl", "jdk").contains(report.get("tls")), report::toString);
            assertEquals(0.0, report.get("connect_errors"), report::toString);
            assertEquals(0.0, report.get("resets"), report::toString);
            assertEquals(0.0, report.get("closed_early"), report::toString);
            assertEquals(0.0, report.get("verify_failures"), report::toString);
            return report;
        }
    }

    private static Outcome bench(TestServer server, String... args) {
        return ShoutClientHarness.run(Stream.concat(Stream.of("bench", "--host", HOST, "--port",
                String.valueOf(server.port()), "--connections", "2", "--duration", "1s", "--warmup", "0s"),
                Stream.of(args)).toArray(String[]::new));
    }
}
