package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.it.TestCertificates.Issued;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client jar, {@code shout} and {@code shout bench}, with {@code --tls} against the server jar
 * serving TLS, both as OS processes: lines come back uppercased, the bench's handshakes, round
 * trips and streams run with no error, and mutual TLS works both ways.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClientShoutTlsTest {

    private static final byte[] NO_INPUT = new byte[0];
    private static final Pattern HANDSHAKES = Pattern.compile("throughput +([\\d,.]+) handshakes/s");
    private static final Pattern MESSAGES = Pattern.compile("throughput +([\\d,.]+) messages/s, ([\\d,.]+) MB/s");

    @TempDir
    static Path dir;
    private static TestCertificates authority;
    private static Issued server;
    private static Issued client;

    @RegisterExtension
    static final Servers servers = new Servers("client-tls");

    @BeforeAll
    static void certificates() {
        authority = TestCertificates.authority(dir, "shout client-server test CA");
        server = authority.localhost("server");
        client = authority.localhost("client");
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void linesComeBackUppercasedOverTls(ServerMode mode) throws IOException {
        ClientProcess.Result result = ClientProcess.run("héllo over tls\nexit\n".getBytes(UTF_8),
                "--port", port(tlsServer(mode)), "--tls", "--ca", ca(), "-i");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(">>: HÉLLO OVER TLS\n>>: ", result.stdoutText());
        assertEquals("", result.stderr());
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void benchChurnCountsFullHandshakesWithNoError(ServerMode mode) throws IOException {
        ClientProcess.Result result = bench(tlsServer(mode), "--churn", "-c", "4");
        assertEquals(0, result.exitCode(), result.stderr() + result.stdoutText());
        assertTrue(rate(HANDSHAKES, result.stdoutText()) > 0, result.stdoutText());
        assertTrue(result.stdoutText().contains(" 0 connect errors, 0 lost"), result.stdoutText());
    }

    @Test
    void benchPingPongOverTlsVerifiesEveryReply() throws IOException {
        ClientProcess.Result result = bench(tlsServer(ServerMode.PROCESS), "-c", "8");
        assertEquals(0, result.exitCode(), result.stderr() + result.stdoutText());
        assertTrue(rate(MESSAGES, result.stdoutText()) > 0, result.stdoutText());
        assertTrue(result.stdoutText().contains("8 established, 0 connect errors, 0 lost"), result.stdoutText());
        assertTrue(result.stdoutText().contains("verify       no failures"), result.stdoutText());
    }

    @Test
    void benchStreamOverTlsEndsEveryConnectionCleanly() throws IOException {
        ClientProcess.Result result = bench(tlsServer(ServerMode.THREAD), "-c", "2", "--pattern", "stream");
        assertEquals(0, result.exitCode(), result.stderr() + result.stdoutText());
        Matcher throughput = MESSAGES.matcher(result.stdoutText());
        assertTrue(throughput.find(), result.stdoutText());
        assertTrue(Double.parseDouble(throughput.group(2).replace(",", "")) > 0, result.stdoutText());
        assertTrue(result.stdoutText().contains("2 established, 0 connect errors, 0 lost"), result.stdoutText());
    }

    /**
     * A server of its own, not a shared one: the leak check's pings after the class carry no
     * client certificate.
     */
    @Test
    void mutualTlsServesTheClientCertificateAndRefusesTheClientWithoutOne() throws IOException {
        List<String> flags = new ArrayList<>(ServerMode.THREAD.flags());
        flags.addAll(TlsSockets.serverFlags(server));
        flags.addAll(List.of("--tls-client-ca", ca()));
        try (ServerProcess mutual = ServerProcess.start(flags.toArray(String[]::new))) {
            ClientProcess.Result with = ClientProcess.run("mutual\nexit\n".getBytes(UTF_8), "--port",
                    String.valueOf(mutual.port()), "--tls", "--ca", ca(), "--cert", client.certificate().toString(),
                    "--key", client.key().toString(), "-i");
            assertEquals(0, with.exitCode(), with.stderr());
            assertEquals(">>: MUTUAL\n>>: ", with.stdoutText());

            ClientProcess.Result without = ClientProcess.run("refused\nexit\n".getBytes(UTF_8), "--port",
                    String.valueOf(mutual.port()), "--tls", "--ca", ca(), "-i");
            assertEquals(1, without.exitCode(), without.stderr());
            assertEquals(List.of("shout: connection to 127.0.0.1:" + mutual.port() + " failed: server requires a"
                    + " client certificate from an authority it trusts (--cert FILE --key FILE)"),
                    without.stderr().lines().toList());
            assertEquals(">>: ", without.stdoutText());
        }
    }

    @Test
    void benchWithoutTheServersAuthorityCountsEveryConnectAsRefused() throws IOException {
        ClientProcess.Result result = ClientProcess.run(NO_INPUT, "bench", "--port",
                port(tlsServer(ServerMode.THREAD)), "--tls", "-c", "2", "-d", "1s", "--warmup", "0s");
        assertEquals(1, result.exitCode(), result.stdoutText());
        assertTrue(result.stderr().contains("2 connect errors, the first: certificate not trusted (self-signed or"
                + " unknown authority; --ca FILE names one to trust)"), result.stderr());
    }

    private static LeakCheckedServer tlsServer(ServerMode mode) {
        return servers.get(mode, TlsSockets.serverFlags(server).toArray(String[]::new));
    }

    private static ClientProcess.Result bench(LeakCheckedServer target, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("bench", "--port", port(target), "--tls", "--ca", ca(),
                "-d", "2s", "--warmup", "1s"));
        all.addAll(List.of(args));
        return ClientProcess.run(NO_INPUT, all.toArray(String[]::new));
    }

    private static double rate(Pattern line, String report) {
        Matcher found = line.matcher(report);
        assertTrue(found.find(), report);
        return Double.parseDouble(found.group(1).replace(",", ""));
    }

    private static String port(LeakCheckedServer target) {
        return Integer.toString(target.port());
    }

    private static String ca() {
        return authority.ca().certificate().toString();
    }
}
