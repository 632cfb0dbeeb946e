package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server jar run as an OS process with Netty's leak detector at its paranoid level, every
 * buffer tracked; the master passes {@code -Dio.netty.*} on to its workers, which {@link #start}
 * checks. Its output goes to a file under {@code target/hardening-logs}, kept for reading after
 * a failure. {@link #stopAndAssertNoLeaks} makes every process report what leaked, and fails if
 * anything did.
 */
final class LeakCheckedServer implements AutoCloseable {

    static final String PARANOID = "-Dio.netty.leakDetection.level=paranoid";
    /**
     * A leak's record keeps where the buffer was made, retained and released, not every access:
     * recording each {@code getByte} makes non-ASCII transfers ten times slower.
     */
    static final List<String> LEAK_DETECTION = List.of(PARANOID, "-Dio.netty.leakDetection.acquireAndReleaseOnly=true");
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path LOGS = Path.of("target", "hardening-logs");
    private static final Pattern START_LINE = Pattern.compile("shout listening on \\S+:(\\d+) ");
    /** Netty's leak report, logged at ERROR by the process that found the leak. */
    private static final String LEAK_REPORT = "LEAK:";

    private final Process process;
    private final Path log;
    /** {@code --proxy-protocol}'s version if it is on: then only a header from 127.0.0.1 gets a connection served. */
    private final Optional<String> proxyProtocol;
    /** True with {@code --tls-cert}: then the leak check's pings come over TLS. */
    private final boolean tls;
    private int port;

    private LeakCheckedServer(Process process, Path log, Optional<String> proxyProtocol, boolean tls) {
        this.process = process;
        this.log = log;
        this.proxyProtocol = proxyProtocol;
        this.tls = tls;
    }

    /**
     * Starts the server on a free loopback port, in {@code mode}, with {@code flags}, its JVM with
     * {@code jvmOptions} besides leak detection, and waits until it listens.
     */
    static LeakCheckedServer start(String name, ServerMode mode, List<String> jvmOptions, List<String> flags) {
        List<String> all = new ArrayList<>(mode.flags());
        all.addAll(flags);
        return start(name + "-" + mode.name().toLowerCase(Locale.ROOT), jvmOptions, all);
    }

    /** Like the other, with every flag given here, the mode's too: for a test that needs a pool of its own size. */
    static LeakCheckedServer start(String name, List<String> jvmOptions, List<String> flags) {
        List<String> command = new ArrayList<>(List.of(Jars.java()));
        command.addAll(LEAK_DETECTION);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Jars.server(), "--port", "0"));
        command.addAll(flags);
        Path log = LOGS.resolve(name + ".log");
        LeakCheckedServer server;
        try {
            Files.createDirectories(LOGS);
            server = new LeakCheckedServer(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start(), log, proxyProtocol(flags), flags.contains("--tls-cert"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Matcher started = START_LINE.matcher(server.awaitLog(START_LINE.pattern()));
            started.find();
            server.port = Integer.parseInt(started.group(1));
            server.pids().forEach(LeakCheckedServer::assertDetectsLeaks);
            return server;
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** The worker processes; none in thread mode. */
    List<Long> workerPids() {
        return process.toHandle().children().map(ProcessHandle::pid).toList();
    }

    /** Every process of the server: the master (or thread mode's one process) and its workers. */
    List<Long> pids() {
        return processes().map(ProcessHandle::pid).toList();
    }

    private Stream<ProcessHandle> processes() {
        return Stream.concat(Stream.of(process.toHandle()), process.toHandle().descendants());
    }

    /** Every line logged so far, in order. */
    List<String> log() {
        try {
            return new String(Files.readAllBytes(log), UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines logged after the first {@code from}, matching {@code regex}. */
    List<String> logSince(int from, String regex) {
        List<String> lines = log();
        Pattern pattern = Pattern.compile(regex);
        return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
                .filter(line -> pattern.matcher(line).find()).toList();
    }

    /** Warnings and errors logged after the first {@code from} lines. */
    List<String> problemsSince(int from) {
        return logSince(from, " (WARN|ERROR) ");
    }

    /** Waits for a line matching {@code regex}, failing at once if the server exits first. */
    String awaitLog(String regex) {
        return awaitLogAfter(0, regex);
    }

    /** Like {@link #awaitLog}, among the lines after the first {@code from}: for what the server says next. */
    String awaitLogAfter(int from, String regex) {
        return Await.value("a log line matching /" + regex + "/ after line " + from + " of " + log, WAIT, () -> {
            boolean exited = !process.isAlive();
            String found = logSince(from, regex).stream().findFirst().orElse(null);
            if (found == null && exited) {
                throw new AssertionError("the server exited (" + process.exitValue() + ") without logging /"
                        + regex + "/; log:\n" + String.join("\n", log()));
            }
            return found;
        });
    }

    /**
     * Netty finds a leaked buffer only once the garbage collector has collected it, and reports it
     * only when a later buffer is allocated. So: a full collection in every process
     * ({@code jcmd GC.run}), then connections to every worker; then SIGTERM, so that the log is
     * complete when the server has exited. Fails if it did not exit 0 or any process reported a leak.
     */
    void stopAndAssertNoLeaks() throws IOException {
        List<Long> pids = pids();
        pids.forEach(LeakCheckedServer::collectGarbage);
        int connections = 2 * pids.size();
        pingFromConnectionsHeldTogether(0, connections);
        pingFromConnectionsHeldTogether(connections, connections);
        Signals.send("TERM", pid());
        int exitCode;
        try {
            if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the server did not stop within " + WAIT + " of SIGTERM; log: " + log);
            }
            exitCode = process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        List<String> lines = log();
        List<String> leaks = lines.stream().filter(line -> line.contains(LEAK_REPORT)).toList();
        assertEquals(List.of(), leaks, () -> "Netty reported leaks; log " + log + ":\n" + String.join("\n", lines));
        assertEquals(0, exitCode, () -> "exit code after SIGTERM; log " + log);
    }

    /**
     * Held open together, the connections spread over every worker (the master picks the least
     * loaded); each comes from its own address, {@code first} on, so that no
     * {@code --max-connections-per-ip} refuses it, however late the server counts a closed one out.
     * With the PROXY protocol on, each comes from a balancer at 127.0.0.1 (which the tests trust)
     * whose header names that address. With TLS on, each then makes its handshake.
     */
    private void pingFromConnectionsHeldTogether(int first, int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = first; i < first + count; i++) {
                String client = LoopbackAddresses.other(i);
                Socket socket = LoopbackAddresses.connectFrom(proxyProtocol.isEmpty() ? client : "127.0.0.1", port);
                sockets.add(socket);
                if (proxyProtocol.isPresent()) {
                    socket.getOutputStream()
                            .write(ProxyHeaders.forVersion(proxyProtocol.get(), client, 40_000 + i, port));
                }
                if (tls) {
                    sockets.set(sockets.size() - 1, TlsSockets.handshake(TlsSockets.trustingAnyone(), socket));
                }
            }
            for (Socket socket : sockets) {
                socket.getOutputStream().write("ping\n".getBytes(UTF_8));
                TcpClient.readExactly(socket, 5);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** The version {@code flags} turn the PROXY protocol on with, if they do. */
    private static Optional<String> proxyProtocol(List<String> flags) {
        int at = flags.indexOf("--proxy-protocol");
        return at < 0 || flags.get(at + 1).equals("off") ? Optional.empty() : Optional.of(flags.get(at + 1));
    }

    private static void collectGarbage(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process gc = new ProcessBuilder(jcmd, Long.toString(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!gc.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS) || gc.exitValue() != 0) {
                gc.destroyForcibly();
                throw new AssertionError("jcmd " + pid + " GC.run failed or hung");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The process runs with paranoid leak detection: given on its command line, or passed on by the master. */
    private static void assertDetectsLeaks(long pid) {
        try {
            List<String> args = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
            if (!args.contains(PARANOID)) {
                throw new AssertionError("server process " + pid + " runs without " + PARANOID + ": " + args);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills what is left of the server: the process started here and its workers. */
    @Override
    public void close() {
        processes().toList().forEach(ProcessHandle::destroyForcibly);
        process.onExit().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(timedOut -> process).join();
    }
}
