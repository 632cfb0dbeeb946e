package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the image must do in every mode, checked from outside against a container of it built
 * from the repository's Dockerfile: the same black-box checks as the local tests, through
 * Docker. Each mode's test class builds the image once and runs these against one shared
 * container, plus a fresh one for {@code docker stop}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerContract {

    private final String mode;
    private final String[] serverArgs;
    private ShoutImage image;
    /** The container most tests share; tests that stop theirs start their own. */
    protected ShoutContainer server;

    /** {@code mode} and {@code extraArgs} are passed to the image as {@code docker run} arguments. */
    ContainerContract(String mode, String... extraArgs) {
        this.mode = mode;
        List<String> args = new ArrayList<>(List.of("--mode", mode));
        args.addAll(List.of(extraArgs));
        this.serverArgs = args.toArray(String[]::new);
    }

    @BeforeAll
    void buildImageAndStartSharedContainer() {
        DockerAvailability.requireEngineWith(ShoutImage.baseImage());
        image = new ShoutImage();
        server = startContainer(ShoutContainer.DOCKER_DEFAULT_STOP_GRACE);
    }

    @AfterAll
    void removeSharedContainerAndImage() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (image != null) {
                image.close();
            }
        }
    }

    /** A container of the image in this class's mode, {@code extraArgs} added to its arguments. */
    ShoutContainer startContainer(Duration stopGrace, String... extraArgs) {
        return startContainer(stopGrace, Map.of(), extraArgs);
    }

    /** Likewise, with {@code files} mounted read-only at their paths in the container. */
    ShoutContainer startContainer(Duration stopGrace, Map<Path, String> files, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(serverArgs));
        args.addAll(List.of(extraArgs));
        return ShoutContainer.start(image.name(), stopGrace, files, args.toArray(String[]::new));
    }

    /** As the README shows: a certificate and key mounted from the host, served by the image's own user. */
    @Test
    void servesTlsWithAMountedCertificateAndKey(@TempDir Path dir) throws Exception {
        TestCertificates pki = TestCertificates.authority(dir, "container CA");
        TestCertificates.Issued certificate = pki.localhost("tls");
        try (ShoutContainer tls = startContainer(ShoutContainer.DOCKER_DEFAULT_STOP_GRACE,
                Map.of(certificate.certificate(), "/etc/shout/tls.crt", certificate.key(), "/etc/shout/tls.key"),
                "--tls-cert", "/etc/shout/tls.crt", "--tls-key", "/etc/shout/tls.key");
                OpenSslClient client = OpenSslClient.connect(tls.port(), pki.ca().certificate())) {
            client.send("hello from outside the container");
            assertEquals("HELLO FROM OUTSIDE THE CONTAINER", client.await("HELLO"));
        }
    }

    @Test
    void argumentsReachTheServerWhichListensOnAllInterfacesAtTheGivenPort() {
        String line = server.awaitLog(RunningServer.START_LINE.pattern());
        assertTrue(line.contains("(mode=" + mode + ","), line);
        assertTrue(line.contains(" on 0.0.0.0:" + server.port() + " "), line);
    }

    @Test
    void serverRunsAsTheImagesNonRootUser() {
        String status = server.shell("grep -E '^(Uid|Gid):' /proc/1/status");
        assertTrue(status.matches("(?s)Uid:\\s+10001\\s+10001\\s+10001\\s+10001\\s+Gid:\\s+10001\\s+10001\\s+10001\\s+10001\\s*"),
                status);
    }

    @Test
    void unicodeLineComesBackUppercasedOverARawSocket() throws IOException {
        RoundTrips.assertUnicodeLineComesBackFullyUppercased(server.port());
    }

    @Test
    void bundledClientGetsItsLinesBackUppercased() throws IOException {
        ClientProcess.Result result = ClientProcess.run("first line\nzweite straße\n".getBytes(UTF_8),
                "--port", Integer.toString(server.port()));
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("FIRST LINE\nZWEITE STRASSE\n", result.stdoutText());
    }

    @Test
    void hundredConcurrentConnectionsGetEveryByteBack() throws Exception {
        RoundTrips.assertConcurrent(server.port(), 100, Reference::upper, RoundTrips::randomText);
    }

    /**
     * With the longer drain the local test also allows itself: on a loaded machine, moving the
     * 10 MiB can take longer than the image's 8 s. The default timings have a test of their own.
     */
    @Test
    void dockerStopDeliversEveryOwedByteToConnectionsMidTransferThenExitsZero() throws Exception {
        try (ShoutContainer draining = startContainer(Duration.ofSeconds(30), "--shutdown-timeout", "20s")) {
            RoundTrips.assertDrainDeliversEveryOwedByte(draining);
        }
    }

    /** The image's shutdown timeout ends the drain before Docker's default grace runs out and SIGKILLs. */
    @Test
    void dockerStopWithDefaultTimingsClosesAnIdleConnectionCleanlyAndExitsZero() throws IOException {
        try (ShoutContainer stopping = startContainer(ShoutContainer.DOCKER_DEFAULT_STOP_GRACE)) {
            RoundTrips.assertStopClosesServedIdleConnectionCleanly(stopping, Duration.ofSeconds(30));
        }
    }
}
