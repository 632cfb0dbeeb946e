package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.it.TestCertificates.Issued;
import dev.shout.it.TestCertificates.KeyFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Certificate and key files with something wrong stop the server before it serves a client or
 * starts a worker: one line naming the flag, the file and what is wrong, and exit code 2.
 */
class TlsStartupTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Issued good;
    private static Issued other;
    private static Issued expired;
    private static Issued notYetValid;
    private static Issued encrypted;

    @BeforeAll
    static void certificates() throws IOException {
        TestCertificates pki = TestCertificates.authority(dir, "startup CA");
        Instant now = Instant.now();
        good = pki.localhost("good");
        other = pki.localhost("other");
        expired = pki.issue("expired", "localhost", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
                KeyFormat.PKCS8);
        notYetValid = pki.issue("later", "localhost", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                KeyFormat.PKCS1);
        encrypted = pki.issue("encrypted", "localhost", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                KeyFormat.PKCS8_ENCRYPTED);
        Files.writeString(dir.resolve("garbage.crt"), "not a certificate\n");
        Files.writeString(dir.resolve("truncated.crt"),
                "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAK\n-----END CERTIFICATE-----\n");
        Files.createDirectories(dir.resolve("a-directory.crt"));
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of(List.of("--tls-cert", file("missing.crt"), "--tls-key", good.key().toString()),
                        "--tls-cert " + Pattern.quote(file("missing.crt")) + ": no such file"),
                Arguments.of(List.of("--tls-cert", file("a-directory.crt"), "--tls-key", good.key().toString()),
                        "--tls-cert " + Pattern.quote(file("a-directory.crt")) + ": cannot be read"),
                Arguments.of(List.of("--tls-cert", file("garbage.crt"), "--tls-key", good.key().toString()),
                        "--tls-cert " + Pattern.quote(file("garbage.crt")) + ": no PEM certificate in it"),
                Arguments.of(List.of("--tls-cert", file("truncated.crt"), "--tls-key", good.key().toString()),
                        "--tls-cert " + Pattern.quote(file("truncated.crt")) + ": (not valid PEM|a malformed certificate)"),
                Arguments.of(List.of("--tls-cert", good.certificate().toString(), "--tls-key", other.key().toString()),
                        "--tls-key " + Pattern.quote(other.key().toString()) + ": not the key of the certificate in "
                                + Pattern.quote(good.certificate().toString())),
                Arguments.of(List.of("--tls-cert", good.certificate().toString(), "--tls-key", good.certificate().toString()),
                        "--tls-key " + Pattern.quote(good.certificate().toString()) + ": holds no private key"),
                Arguments.of(List.of("--tls-cert", expired.certificate().toString(), "--tls-key", expired.key().toString()),
                        "--tls-cert " + Pattern.quote(expired.certificate().toString())
                                + ": the certificate CN=localhost expired on \\d{4}-\\d\\d-\\d\\dT"),
                Arguments.of(List.of("--tls-cert", notYetValid.certificate().toString(), "--tls-key",
                        notYetValid.key().toString()), ".*: the certificate CN=localhost is not valid until "),
                Arguments.of(List.of("--tls-cert", encrypted.certificate().toString(), "--tls-key",
                        encrypted.key().toString()), "--tls-key " + Pattern.quote(encrypted.key().toString())
                                + ": the key is encrypted"),
                Arguments.of(List.of("--tls-cert", good.certificate().toString(), "--tls-key", good.key().toString(),
                        "--tls-client-ca", file("garbage.crt")),
                        "--tls-client-ca " + Pattern.quote(file("garbage.crt")) + ": no PEM certificate in it"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void aBadFileStopsTheServerWithOneLineNamingIt(List<String> flags, String expected) {
        assertOneLineAndUsageExit(ServerMode.THREAD, flags, expected);
    }

    @Test
    void theMasterChecksTheFilesBeforeAnyWorkerStarts() {
        ServerProcess server = assertOneLineAndUsageExit(ServerMode.PROCESS,
                List.of("--tls-cert", expired.certificate().toString(), "--tls-key", expired.key().toString()),
                ".*expired on");
        assertTrue(server.logLines("worker").isEmpty(), server.logText());
    }

    @Test
    void aKeyWithoutACertificateIsAUsageError() {
        try (ServerProcess server = ServerProcess.launch("--port", "0", "--tls-key", good.key().toString())) {
            assertEquals(2, server.awaitExit(WAIT));
            server.awaitLog("--tls-key: only with --tls-cert");
        }
    }

    private static ServerProcess assertOneLineAndUsageExit(ServerMode mode, List<String> flags, String expected) {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(mode.flags());
        args.addAll(flags);
        try (ServerProcess server = ServerProcess.launch(args.toArray(String[]::new))) {
            assertEquals(2, server.awaitExit(WAIT), server.logText());
            List<String> lines = server.logText().lines().toList();
            assertEquals(1, lines.size(), server.logText());
            assertTrue(Pattern.compile("^shout-server: " + expected).matcher(lines.get(0)).find(), lines.get(0));
            return server;
        }
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }
}
