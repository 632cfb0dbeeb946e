package dev.shout.it.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shout.it.Await;
import dev.shout.it.Jars;
import dev.shout.it.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * shout on one host of the fleet: the server jar run inside the host's namespace
 * ({@code ip netns exec}, which becomes the server's master: its pid is the master's) on the
 * host's address, believing PROXY v2 headers from the balancer only. Each connection's client,
 * as its header names it, is logged (the PROXY handler's debug line), so that a test can tell
 * which host served which client. Its log goes to a file, kept for reading after a failure.
 */
final class ShoutHost implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);
    /** Small heaps: three hosts of two JVMs each share the machine with the test. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx96m", "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.log.dev.shout.server.pipeline.ProxyHeaderHandler=debug");

    private final String server;
    private final Process process;
    private final Path log;
    private final String startLine;

    private ShoutHost(String server, Process process, Path log, String address, int port) {
        this.server = server;
        this.process = process;
        this.log = log;
        this.startLine = "shout listening on " + address + ":" + port + " ";
    }

    /**
     * Starts shout for HAProxy's server {@code server} in {@code namespace}, listening on
     * {@code address:port} with its metrics on {@code metricsPort}, trusting {@code balancer},
     * with one worker and {@code flags}; does not wait for it (see {@link #awaitReady}).
     */
    static ShoutHost launch(String server, String namespace, InetSocketAddress listen, int metricsPort,
            String balancer, List<String> flags, Path log) {
        List<String> command = new ArrayList<>(List.of(Jars.java()));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", Jars.server(), "--host", listen.getHostString(),
                "--port", Integer.toString(listen.getPort()), "--metrics-port", Integer.toString(metricsPort),
                "--workers", "1", "--worker-jvm-opts", String.join(" ", JVM_OPTIONS.subList(0, 2)),
                "--proxy-protocol", "v2", "--proxy-trusted", balancer + "/32"));
        command.addAll(flags);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(Command.inNamespace(namespace, command))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ShoutHost(server, process, log, listen.getHostString(), listen.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the start line, which the master logs once its workers are ready. */
    ShoutHost awaitReady() {
        awaitLog(Pattern.quote(startLine));
        return this;
    }

    /** HAProxy's name for this host: s1, s2, ... */
    String server() {
        return server;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9} of the master alone: its workers see their link close and exit on their own. */
    void kill() {
        Signals.send("KILL", process.pid());
    }

    /** SIGTERM, as an operator stops a host: it drains and exits; returns its exit code. */
    int stop() {
        Signals.send("TERM", process.pid());
        try {
            if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(server + " still running " + WAIT + " after SIGTERM; log: " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** Whether shout here served {@code client} (address and port), as its PROXY header named it. */
    boolean served(InetSocketAddress client) {
        String said = " is " + client.getHostString() + ":" + client.getPort() + " by its PROXY header";
        return log().stream().anyMatch(line -> line.endsWith(said));
    }

    /** Waits for a line matching {@code regex}, failing at once if shout exits first. */
    String awaitLog(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return Await.value("a line matching /" + regex + "/ in " + log, WAIT, () -> {
            boolean exited = !process.isAlive();
            String found = log().stream().filter(line -> pattern.matcher(line).find()).findFirst().orElse(null);
            if (found == null && exited) {
                throw new AssertionError(server + " exited (" + process.exitValue() + ") without logging /" + regex
                        + "/; log " + log + ":\n" + String.join("\n", log()));
            }
            return found;
        });
    }

    List<String> log() {
        try {
            return new String(Files.readAllBytes(log), UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile() {
        return log;
    }

    /** Kills what is left of this shout: the master and its workers. */
    @Override
    public void close() {
        List<ProcessHandle> workers = process.toHandle().descendants().toList();
        process.destroyForcibly();
        workers.forEach(ProcessHandle::destroyForcibly);
        process.onExit().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(timedOut -> process).join();
    }
}
