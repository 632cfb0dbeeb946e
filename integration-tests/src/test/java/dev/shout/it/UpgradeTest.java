package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.process.link.LinkMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upgrade in place (issue #11), black box: the server runs from a jar in a directory of the
 * test's own; a deploy renames another build over that jar, as a package manager does, and sends
 * SIGHUP. A build whose worker links in the master's protocol then runs in every worker, every
 * connection moving to it, and in every worker started after; one whose worker does not link is
 * refused in one line, and the old workers serve on as if nothing had happened.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class UpgradeTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int CONNECTIONS = 100;
    /** Of {@link #CONNECTIONS}, those talking all along; the others wait idle between two checks. */
    private static final int TALKING = 20;
    private static final int WORKERS = 2;
    private static final String NEW_BUILD = "0.2.0-upgrade-test";
    private static final String MIGRATED = "shout_migrations_total{result=\"ok\"}";
    private static final String OPENED = "shout_connections_opened_total";
    private static final String UPGRADES = "shout_upgrades_total";
    private static final Pattern BUILD_INFO = Pattern.compile("shout_build_info\\{version=\"([^\"]*)\",worker=\"(\\d+)\"}");

    @TempDir
    Path release;

    @ParameterizedTest(name = "--accept {0}")
    @ValueSource(strings = {"master", "workers"})
    void aNewBuildRenamedOverTheJarRunsInEveryWorkerAfterSighupAndEveryConnectionIsKept(String accept)
            throws Exception {
        Path jar = copyBuiltJar();
        try (ServerProcess server = start(jar, accept)) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            awaitEveryWorkerRuns(metrics, TestBuilds.version(jar));
            try (Clients clients = Clients.open(server.port())) {
                metrics.awaitSum(OPENED, CONNECTIONS);
                deploy(TestBuilds.withVersion(jar, NEW_BUILD, release.resolve("next.jar")), jar);
                rollAndAwaitNewWorkers(server);

                awaitEveryWorkerRuns(metrics, NEW_BUILD);
                for (long worker : workers(server)) {
                    assertTrue(PinnedJarTest.assertLoadsTheEpollLibraryBesideItsJar(worker).endsWith("next"),
                            "worker " + worker + " of the new build does not run from next/");
                }
                clients.assertEveryOneAnswers();
                metrics.await(MIGRATED, CONNECTIONS);
                assertEquals(CONNECTIONS, metrics.sum(OPENED), "a moved connection counted as opened again");
                assertUpgrades(metrics, 1, 0);
                assertEquals(List.of(), server.logLines(" ERROR "));
            }

            // A crash respawn starts the build now pinned, not the one the master started with.
            List<Long> upgraded = workers(server);
            long victim = upgraded.get(0);
            Signals.send("KILL", victim);
            long respawned = Await.value("a worker in place of " + victim, WAIT, () -> workers(server).stream()
                    .filter(pid -> !upgraded.contains(pid)).findFirst().orElse(null));
            server.awaitLog(Pattern.compile("\\(pid " + respawned + "\\) ready"), WAIT);
            awaitEveryWorkerRuns(metrics, NEW_BUILD);
            PinnedJarTest.assertLoadsTheEpollLibraryBesideItsJar(respawned);
            RoundTrips.assertUnicodeLineComesBackFullyUppercased(server.port());
            server.requestStop();
            assertEquals(0, server.awaitExit(WAIT), server.logText());
        }
    }

    @Test
    void aBuildWhoseWorkerSpeaksAnotherLinkProtocolIsRefusedAndTheOldWorkersServeOn() throws Exception {
        int other = LinkMessage.PROTOCOL_VERSION - 1;
        assertRefusedThenUpgraded("master",
                jar -> TestBuilds.speakingProtocol(jar, "0.0.1-other-protocol", other, release.resolve("next.jar")),
                "worker-1 \\(pid \\d+\\) \\(build 0\\.0\\.1-other-protocol\\) speaks link protocol " + other
                        + ", this master " + LinkMessage.PROTOCOL_VERSION);
    }

    /** The client's jar, say: a jar, but without the server's worker, which the JVM cannot find. */
    @Test
    void aBuildWhoseWorkerNeverLinksIsRefusedAndTheOldWorkersServeOn() throws Exception {
        assertRefusedThenUpgraded("workers",
                jar -> copy(Path.of(Jars.client()), release.resolve("next.jar")),
                "worker-1 \\(pid \\d+\\) exited before it linked \\(exit code 1\\)");
    }

    /**
     * Deploys the build {@code incompatible} makes of the server's jar, SIGHUP: one line says it
     * is refused and why ({@code why}, a regex), no worker is replaced and no connection lost, and
     * the master serves on; then a good build deployed and SIGHUP roll every worker onto it.
     */
    private void assertRefusedThenUpgraded(String accept, UnaryOperator<Path> incompatible, String why)
            throws Exception {
        Path jar = copyBuiltJar();
        String old = TestBuilds.version(jar);
        try (ServerProcess server = start(jar, accept)) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            awaitEveryWorkerRuns(metrics, old);
            try (Clients clients = Clients.open(server.port())) {
                metrics.awaitSum(OPENED, CONNECTIONS);
                List<Long> before = workers(server);
                deploy(incompatible.apply(jar), jar);
                server.signal("HUP");

                String refused = server.awaitLog(Pattern.compile("upgrade to .* refused"), WAIT);
                assertTrue(Pattern.compile("ERROR WorkerBuilds - upgrade to " + Pattern.quote(jar.toString())
                        + " \\(build [^)]+\\) refused: " + why + "; the rolling restart stops and the workers keep"
                        + " running build " + Pattern.quote(old) + "$").matcher(refused).find(), refused);
                assertEquals(List.of(refused), server.logLines(" ERROR "), "the one line, and nothing else wrong");
                assertEquals(before, workers(server), "the old workers");
                clients.assertEveryOneAnswers();
                RoundTrips.assertUnicodeLineComesBackFullyUppercased(server.port());
                awaitEveryWorkerRuns(metrics, old);
                assertEquals(0.0, metrics.sum(MIGRATED), "connections moved");
                assertUpgrades(metrics, 0, 1);
                assertTrue(server.isAlive());

                deploy(TestBuilds.withVersion(Path.of(Jars.server()), NEW_BUILD, release.resolve("next.jar")), jar);
                rollAndAwaitNewWorkers(server);
                awaitEveryWorkerRuns(metrics, NEW_BUILD);
                for (long worker : workers(server)) {
                    assertTrue(PinnedJarTest.assertLoadsTheEpollLibraryBesideItsJar(worker).endsWith("next"),
                            "worker " + worker + " of the new build does not run from next/");
                }
                clients.assertEveryOneAnswers();
                assertEquals(1, server.logLines("upgrade to .* refused").size());
                assertUpgrades(metrics, 1, 1);
            }
            server.requestStop();
            assertEquals(0, server.awaitExit(WAIT), server.logText());
        }
    }

    private ServerProcess start(Path jar, String accept) {
        return ServerProcess.startJar(jar, "--mode", "process", "--workers", Integer.toString(WORKERS),
                "--accept", accept, "--worker-timeout", "30s", "--metrics-port", "0");
    }

    /** The built jar and its archive, copied here with their modification times, which the archive checks. */
    private Path copyBuiltJar() throws IOException {
        Path built = Path.of(Jars.server());
        Files.copy(built.resolveSibling("shout-server.jsa"), release.resolve("shout-server.jsa"),
                StandardCopyOption.COPY_ATTRIBUTES);
        return Files.copy(built, release.resolve("shout-server.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static Path copy(Path from, Path to) {
        try {
            return Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As a package manager deploys: {@code next}, in the same directory, renamed over {@code jar}. */
    private static void deploy(Path next, Path jar) throws IOException {
        Files.move(next, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Long> workers(ServerProcess server) {
        return server.children().stream().map(ProcessHandle::pid).sorted().toList();
    }

    /** SIGHUP, then waits until every worker the server had has exited and as many new ones serve. */
    private static void rollAndAwaitNewWorkers(ServerProcess server) {
        List<Long> before = workers(server);
        server.signal("HUP");
        Await.until("only new workers", WAIT, () -> {
            List<Long> now = workers(server);
            return now.size() == before.size() && now.stream().noneMatch(before::contains);
        });
    }

    /**
     * Asserts the upgrades the metrics count, by result: none refused, as every deploy here is a
     * jar. Called once the outcome is known from the workers or the log, so no wait.
     */
    private static void assertUpgrades(MetricsEndpoint metrics, double passed, double failed) {
        Map<String, Double> samples = metrics.scrape();
        assertEquals(List.of(passed, failed, 0.0), List.of(samples.get(UPGRADES + "{result=\"passed\"}"),
                samples.get(UPGRADES + "{result=\"failed\"}"), samples.get(UPGRADES + "{result=\"refused\"}")),
                "shout_upgrades_total passed, failed, refused");
    }

    /** Waits until every worker has announced {@code version}, and none another. */
    private static void awaitEveryWorkerRuns(MetricsEndpoint metrics, String version) {
        Await.until("every worker to run build " + version, WAIT, () -> {
            List<String> builds = new ArrayList<>();
            for (Map.Entry<String, Double> sample : metrics.scrape().entrySet()) {
                Matcher info = BUILD_INFO.matcher(sample.getKey());
                if (info.matches()) {
                    builds.add(info.group(1) + "@" + info.group(2));
                }
            }
            builds.sort(null);
            return builds.equals(List.of(version + "@1", version + "@2"));
        });
    }

    /**
     * {@link #CONNECTIONS} clients: {@link #TALKING} of them talking all along, byte-exact, the
     * others each checked once on opening and again when asked.
     */
    private static final class Clients implements AutoCloseable {
        private final PingPongs talking;
        private final List<Socket> idle = new ArrayList<>();
        private final Random random = new Random(11);

        private Clients(PingPongs talking) {
            this.talking = talking;
        }

        static Clients open(int port) throws IOException {
            Clients clients = new Clients(PingPongs.start(port, TALKING));
            try {
                for (int i = TALKING; i < CONNECTIONS; i++) {
                    clients.idle.add(TcpClient.connect(port));
                }
                clients.assertIdleOnesAnswer();
                return clients;
            } catch (IOException | RuntimeException | AssertionError e) {
                clients.close();
                throw e;
            }
        }

        void assertEveryOneAnswers() throws IOException {
            talking.awaitRoundsSince(talking.rounds(), 3, WAIT);
            assertIdleOnesAnswer();
            assertEquals(List.of(), talking.failures());
        }

        private void assertIdleOnesAnswer() throws IOException {
            for (Socket socket : idle) {
                byte[] line = Reference.randomText(random, 1 + random.nextInt(512));
                byte[] expected = Reference.upper(line);
                socket.getOutputStream().write(line);
                assertArrayEquals(expected, TcpClient.readExactly(socket, expected.length));
            }
        }

        @Override
        public void close() throws IOException {
            talking.close();
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }
}
