package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.it.deploy.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd: units that {@code systemd-analyze verify} finds nothing to say about; settings
 * that keep the server's promises (one socket, handed over non-blocking; a stop that outlasts the
 * drain and signals the master alone; a reload that is SIGHUP; a descriptor for every
 * connection); and the service's own command line and reload command run against the server
 * under socket activation.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SystemdUnitsTest {

    private static final String JAVA = "/usr/bin/java";
    /** Where the Dockerfile installs the jar, and so where the service runs it from. */
    private static final String INSTALLED_JAR = "/opt/shout/shout-server.jar";
    /** What the master gives its workers to exit after --shutdown-timeout (SupervisionPolicy.DRAIN_GRACE). */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(3);
    /** Descriptors a JVM holds besides its connections: jars, epoll, pipes, the control sockets. */
    private static final int OWN_DESCRIPTORS = 1024;
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static final SystemdUnit SOCKET = SystemdUnit.read(Repository.path("deploy/systemd/shout.socket"));
    private static final SystemdUnit SERVICE = SystemdUnit.read(Repository.path("deploy/systemd/shout.service"));

    /**
     * The units as written, but for the java binary, which systemd-analyze requires to exist: a
     * copy names the JVM running this test instead of {@value #JAVA}, which need not be this
     * machine's. The copy keeps the units' names, so that the service finds its socket.
     */
    @Test
    void systemdAnalyzeVerifyFindsNothingToSay(@TempDir Path copy) throws IOException {
        String analyze = SystemdTools.require("systemd-analyze");
        Path probe = Files.writeString(copy.resolve("shout-probe.service"),
                "[Service]\nExecStart=" + Jars.java() + " -version\n");
        Result probed = run(List.of(analyze, "verify", probe.toString()));
        if (probed.exit() != 0 || !probed.output().isEmpty()) {
            SystemdTools.unavailable("systemd-analyze verify cannot run here (it says, of a minimal unit: "
                    + probed.output().strip() + ")");
        }
        List<String> command = new ArrayList<>(List.of(analyze, "verify"));
        for (String unit : List.of("shout.socket", "shout.service")) {
            String text = Files.readString(Repository.path("deploy/systemd/" + unit));
            command.add(Files.writeString(copy.resolve(unit), text.replace(JAVA + " ", Jars.java() + " ")).toString());
        }
        // systemd-analyze exits 0 after warnings (an unknown key, a value it cannot parse): its output is the verdict.
        assertEquals(new Result(0, ""), run(command));
    }

    @Test
    void theSocketIsOneStreamSocketHandedOverNonBlocking() {
        List<String> listening = SOCKET.keys("Socket").stream().filter(key -> key.startsWith("Listen")).toList();
        assertEquals(List.of("ListenStream"), listening, "the server takes exactly one socket (LISTEN_FDS=1)");
        assertEquals(1, SOCKET.values("Socket", "ListenStream").size());
        assertTrue(SOCKET.values("Socket", "Accept").stream().allMatch(accept -> accept.equals("no")),
                "Accept=yes would start a server per connection");
        assertEquals("yes", SERVICE.value("Service", "NonBlocking"));
        assertEquals("shout.socket", SERVICE.value("Unit", "Requires"));
    }

    @Test
    void theServiceRunsTheJarTheImageInstalls() {
        List<String> command = execStart();
        assertEquals(JAVA, command.get(0));
        assertEquals(INSTALLED_JAR, command.get(command.indexOf("-jar") + 1));
        assertTrue(Repository.read("Dockerfile").contains("COPY server/target/shout-server.jar " + INSTALLED_JAR + "\n"));
    }

    @Test
    void aStopOutlastsTheDrainAndSignalsTheMasterAlone() {
        Duration shutdownTimeout = shoutDuration(flag(execStart(), "--shutdown-timeout", "10s"));
        Duration stopTimeout = systemdSeconds(SERVICE.value("Service", "TimeoutStopSec"));
        assertTrue(stopTimeout.compareTo(shutdownTimeout.plus(DRAIN_GRACE)) > 0,
                "TimeoutStopSec " + stopTimeout + " must exceed --shutdown-timeout " + shutdownTimeout + " + " + DRAIN_GRACE);
        assertEquals("mixed", SERVICE.value("Service", "KillMode"));
        assertEquals("/bin/kill -HUP $MAINPID", SERVICE.value("Service", "ExecReload"));
    }

    @Test
    void everyConnectionHasADescriptor() {
        List<String> command = execStart();
        int connections = Math.max(Integer.parseInt(flag(command, "--max-connections", "10000")),
                Integer.parseInt(flag(command, "--connections-per-worker", "10000")));
        // soft:hard, or one value for both.
        for (String limit : SERVICE.value("Service", "LimitNOFILE").split(":")) {
            assertTrue(limit.equals("infinity") || Integer.parseInt(limit) >= connections + OWN_DESCRIPTORS,
                    "LimitNOFILE " + limit + " for " + connections + " connections and the JVM's own descriptors");
        }
    }

    /**
     * ExecStart as written but for where java and the jar are here, and the metrics port, fixed in
     * the unit, free here; two workers, as {@link ServerMode#PROCESS} explains.
     */
    @Test
    void itsCommandLineServesUnderSocketActivationAndItsReloadRollsTheWorkers() throws IOException {
        List<String> command = new ArrayList<>(execStart().stream()
                .map(arg -> arg.equals(JAVA) ? Jars.java() : arg.equals(INSTALLED_JAR) ? Jars.server() : arg).toList());
        command.set(command.indexOf("--metrics-port") + 1, "0");
        command.addAll(List.of("--workers", "2", "--worker-timeout", "30s"));
        SocketActivator.Activated activated = SocketActivator.start(1, command);
        try (ServerProcess server = activated.process()) {
            assertRoundTrip(activated.port(), new Random(1));
            assertEquals(200, MetricsEndpoint.of(server::awaitLog).get("/health").statusCode());
            List<String> reload = Stream.of(SERVICE.value("Service", "ExecReload").split("\\s+"))
                    .map(arg -> arg.equals("$MAINPID") ? Long.toString(server.pid()) : arg).toList();
            assertEquals(0, run(reload).exit());
            server.awaitLog(Pattern.compile("rolling restart done"), WAIT);
            assertRoundTrip(activated.port(), new Random(2));
            server.requestStop();
            assertEquals(0, server.awaitExit(WAIT), server::logText);
        }
    }

    private static void assertRoundTrip(int port, Random random) throws IOException {
        byte[] payload = Reference.randomText(random, 64 * 1024);
        assertArrayEquals(Reference.upper(payload), TcpClient.exchange(port, payload, random));
    }

    /** ExecStart's words. The unit quotes nothing and expands no variable there, so spaces split it as systemd would. */
    private static List<String> execStart() {
        String line = SERVICE.value("Service", "ExecStart");
        assertTrue(line.matches("[^\"'$%]+"), "ExecStart= without quotes, variables or specifiers: " + line);
        return List.of(line.strip().split("\\s+"));
    }

    private static String flag(List<String> command, String name, String otherwise) {
        int at = command.indexOf(name);
        return at < 0 ? otherwise : command.get(at + 1);
    }

    /** A duration as the server's flags write it: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
    private static Duration shoutDuration(String value) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value);
        assertTrue(m.matches(), "a duration: " + value);
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** A time span as systemd.time(7) writes it, in the forms used here: {@code 20}, {@code 20s}, {@code 2min}. */
    private static Duration systemdSeconds(String value) {
        Matcher m = Pattern.compile("(\\d+)(s|sec|min)?").matcher(value);
        assertTrue(m.matches(), "a time span in seconds or minutes: " + value);
        long amount = Long.parseLong(m.group(1));
        return "min".equals(m.group(2)) ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + WAIT);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
