package dev.shout.it.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program the test runs in the background (HAProxy, Prometheus), its output in a log file,
 * stopped with SIGTERM on close and killed if it lingers.
 */
final class Daemon implements AutoCloseable {

    private static final Duration STOP = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static Daemon start(String name, List<String> command, Path log) {
        try {
            return new Daemon(name, new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + command, e);
        }
    }

    /** Fails if it has exited: a wait for it fails at once rather than at its timeout. */
    void assertRunning() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited (" + process.exitValue() + "); log " + log);
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
