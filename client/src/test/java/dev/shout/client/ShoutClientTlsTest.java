package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.client.ShoutClientHarness.Outcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code shout} command's TLS flags: what they do over TLS, and one line for each misuse. */
@Timeout(20)
class ShoutClientTlsTest {

    private static final String HINT = "Try 'shout --help' for more information.";

    @RegisterExtension
    static final TestCertificate certificate = TestCertificate.forHost("localhost");

    @Test
    void messageRoundTripsOverTls() throws IOException {
        try (TestServer server = TestServer.uppercasingOverTls(certificate)) {
            Outcome outcome = shout(server, "--tls", "--ca", certificate.certificate().toString(), "-m", "hello");
            assertEquals(new Outcome(0, "HELLO%n".formatted(), ""), outcome);
        }
    }

    @Test
    void interactiveLoopRunsOverTls() throws IOException {
        try (TestServer server = TestServer.uppercasingOverTls(certificate)) {
            Outcome outcome = ShoutClientHarness.run(
                    new ByteArrayInputStream("hello\nexit\n".getBytes(StandardCharsets.UTF_8)), false,
                    "--host", "localhost", "--port", String.valueOf(server.port()),
                    "--tls", "--ca", certificate.certificate().toString(), "-i");
            assertEquals(new Outcome(0, ">>: HELLO%n>>: ".formatted(), ""), outcome);
        }
    }

    @Test
    void insecureWarnsOnStderrAndConnects() throws IOException {
        try (TestServer server = TestServer.uppercasingOverTls(certificate)) {
            Outcome outcome = shout(server, "--tls", "--insecure", "-m", "hello");
            assertEquals(0, outcome.exitCode(), outcome.err());
            assertEquals("HELLO%n".formatted(), outcome.out());
            assertEquals(List.of("shout: warning: --insecure: the server's certificate and host name are not"
                    + " checked, so anyone on the way can read and change the traffic"), outcome.errLines());
        }
    }

    @Test
    void refusedCertificateExits1WithOneLine() throws IOException {
        try (TestServer server = TestServer.uppercasingOverTls(certificate)) {
            Outcome outcome = shout(server, "--tls", "-m", "hello");
            assertEquals(1, outcome.exitCode());
            assertEquals(List.of("shout: cannot connect to localhost:" + server.port() + ": certificate not trusted"
                    + " (self-signed or unknown authority; --ca FILE names one to trust)"), outcome.errLines());
            assertEquals("", outcome.out());
        }
    }

    @Test
    void trustFlagsWithoutTlsAreUsageErrors() {
        assertUsageError("shout: --ca: only with --tls", "--ca", "ca.crt");
        assertUsageError("shout: --insecure: only with --tls", "--insecure");
        assertUsageError("shout: --cert: only with --tls", "--cert", "c.crt", "--key", "c.key");
    }

    @Test
    void halfAClientCertificateIsAUsageError() {
        assertUsageError("shout: --key: required with --cert", "--tls", "--cert", "c.crt");
        assertUsageError("shout: --cert: required with --key", "--tls", "--key", "c.key");
    }

    @Test
    void insecureWithCaIsAUsageError() {
        assertUsageError("shout: --insecure: cannot be combined with --ca", "--tls", "--insecure", "--ca", "ca.crt");
    }

    @Test
    void unreadableFileIsOneLineNamingItAndExit2() {
        Outcome outcome = ShoutClientHarness.run("--tls", "--ca", "/nonexistent/ca.crt", "-m", "x");
        assertEquals(new Outcome(2, "", "shout: --ca /nonexistent/ca.crt: no such file%n".formatted()), outcome);
    }

    @Test
    void helpListsTheTlsFlags() {
        Outcome outcome = ShoutClientHarness.run("--help");
        for (String flag : List.of("--tls", "--ca=<file>", "--insecure", "--cert=<file>", "--key=<file>")) {
            assertTrue(outcome.out().contains(flag), flag + " in " + outcome.out());
        }
    }

    private static void assertUsageError(String line, String... args) {
        Outcome outcome = ShoutClientHarness.run(args);
        assertEquals(2, outcome.exitCode());
        assertEquals(List.of(line, HINT), outcome.errLines());
    }

    private static Outcome shout(TestServer server, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--host";
        all[1] = "localhost";
        all[2] = "--port";
        all[3] = String.valueOf(server.port());
        System.arraycopy(args, 0, all, 4, args.length);
        return ShoutClientHarness.run(all);
    }
}
