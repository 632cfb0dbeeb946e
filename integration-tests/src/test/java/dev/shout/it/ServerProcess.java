package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built server jar, running as an OS process. Its log (stderr) is collected line by
 * line so that tests can wait for what it says; it is stopped, with its workers, on close.
 */
final class ServerProcess implements RunningServer, AutoCloseable {

    /** The longest wait, once the process has exited, for the end of its output: none, unless workers it left still hold the pipe. */
    private static final Duration LOG_TAIL = Duration.ofSeconds(10);

    private final Process process;
    private final LogLines log;
    private int port;

    private ServerProcess(Process process) {
        this.process = process;
        this.log = LogLines.of(process, "server-log-" + process.pid());
    }

    /** Starts the server on a free loopback port and waits for its start line. */
    static ServerProcess start(String... args) {
        return startJar(Path.of(Jars.server()), args);
    }

    /** Starts the server from {@code jar} (a copy of the built one, say) on a free loopback port and waits for its start line. */
    static ServerProcess startJar(Path jar, String... args) {
        List<String> command = new ArrayList<>(List.of(Jars.java(), "-jar", jar.toString(), "--port", "0"));
        command.addAll(List.of(args));
        ServerProcess server = exec(command);
        try {
            Matcher started = START_LINE.matcher(server.awaitLog(START_LINE, START_TIMEOUT));
            started.find();
            server.port = Integer.parseInt(started.group(2));
            return server;
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
    }

    /** Starts the server without waiting for anything: for servers expected to fail. */
    static ServerProcess launch(String... args) {
        List<String> command = new ArrayList<>(List.of(Jars.java(), "-jar", Jars.server()));
        command.addAll(List.of(args));
        return exec(command);
    }

    /** Runs {@code command}, which starts the server its own way (under systemd-socket-activate, say). */
    static ServerProcess exec(List<String> command) {
        try {
            return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for a log line matching {@code pattern} and returns it. */
    String awaitLog(Pattern pattern, Duration timeout) {
        return log.await(pattern, timeout);
    }

    @Override
    public String awaitLog(String regex) {
        return awaitLog(Pattern.compile(regex), START_TIMEOUT);
    }

    /** Every line logged so far that matches. */
    List<String> logLines(String regex) {
        return log.matching(regex);
    }

    @Override
    public String logText() {
        return log.text();
    }

    /** Sends a signal by name (TERM, HUP, KILL, ...) with kill(1), as an operator would. */
    void signal(String name) {
        Signals.send(name, pid());
    }

    @Override
    public void requestStop() {
        signal("TERM");
    }

    @Override
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("server still running after " + timeout + "; log:\n" + logText());
            }
            // So that what it logged last is there to be checked.
            log.awaitEnd(LOG_TAIL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Child processes of the server: its workers in process mode. */
    List<ProcessHandle> children() {
        return process.toHandle().children().toList();
    }

    @Override
    public void close() {
        List<ProcessHandle> workers = process.toHandle().descendants().toList();
        process.destroyForcibly();
        workers.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
