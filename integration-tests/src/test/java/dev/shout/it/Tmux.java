package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A program run in a real pseudo-terminal, as a user runs it: tmux gives it a 120x40 pane, types
 * with {@code send-keys} and reads the screen with {@code capture-pane}. Each instance is its own
 * tmux server on a socket in its own directory, so that nothing is shared with other tests or
 * with a user's tmux; the pane stays after the program exits, so that a failure can show the screen.
 */
final class Tmux implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TMUX = "tmux";
    private static final String PANE = "shout";
    private static boolean skipAnnounced;

    private final Path socket;
    private final Path exitStatus;

    private Tmux(Path dir) {
        this.socket = dir.resolve("tmux.socket");
        this.exitStatus = dir.resolve("tmux.exit-status");
    }

    /**
     * Skips the calling test class with one line if there is no tmux, unless it is required
     * (SHOUT_TMUX_REQUIRED=true, as CI sets it): then it fails at once.
     */
    static synchronized void require() {
        if (installed()) {
            return;
        }
        String what = "no tmux on PATH: pseudo-terminal tests";
        if ("true".equalsIgnoreCase(System.getenv("SHOUT_TMUX_REQUIRED"))) {
            throw new AssertionError(what + " cannot run, and tmux is required here (SHOUT_TMUX_REQUIRED)");
        }
        String skip = what + " skipped (set SHOUT_TMUX_REQUIRED=true to fail instead)";
        if (!skipAnnounced) {
            skipAnnounced = true;
            System.err.println(skip);
        }
        Assumptions.abort(skip);
    }

    private static boolean installed() {
        try {
            Process version = new ProcessBuilder(TMUX, "-V").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return version.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs {@code command} (no shell) in a new pane, with {@code env} added to this process's environment. */
    static Tmux start(Path dir, Map<String, String> env, List<String> command) {
        Path config = dir.resolve("tmux.conf");
        try {
            Files.writeString(config, "set-option -g remain-on-exit on\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tmux tmux = new Tmux(dir);
        // The shell waits for the program and writes down its exit status. tmux's own record of it
        // is lost now and then: Debian's tmux runs utempter when the pane's terminal closes, with
        // SIGCHLD at its default meanwhile, and a JVM's SIGCHLD comes just after it closes.
        List<String> newSession = new ArrayList<>(List.of(
                "-f", config.toString(), "new-session", "-d", "-s", PANE, "-x", "120", "-y", "40", "--",
                "sh", "-c", "\"$@\"; echo $? > \"$0\"", tmux.exitStatus.toString()));
        newSession.addAll(command);
        tmux.run(env, newSession);
        return tmux;
    }

    /** Text typed as it is, never read as key names. */
    void type(String text) {
        run(Map.of(), List.of("send-keys", "-t", PANE, "-l", text));
    }

    /** Keys by tmux's names: {@code Left}, {@code Up}, {@code Enter}, {@code C-r}. */
    void press(String... keys) {
        List<String> sendKeys = new ArrayList<>(List.of("send-keys", "-t", PANE));
        sendKeys.addAll(List.of(keys));
        run(Map.of(), sendKeys);
    }

    /** Everything the pane has shown, scrolled off or not, each wrapped line joined back into one. */
    String screen() {
        return run(Map.of(), List.of("capture-pane", "-p", "-J", "-S", "-", "-t", PANE));
    }

    /** Waits for the screen to satisfy {@code condition}; the failure shows the screen. */
    String awaitScreen(String what, Predicate<String> condition) {
        String[] last = {""};
        try {
            Await.until(what, WAIT, () -> condition.test(last[0] = screen()));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the screen:\n" + last[0], e);
        }
        return last[0];
    }

    /** Waits for the program to end and returns its exit status. */
    int awaitExit() {
        String status = Await.value("the program in the pane to exit", WAIT, () -> {
            try {
                String written = Files.isRegularFile(exitStatus) ? Files.readString(exitStatus) : "";
                return written.endsWith("\n") ? written.strip() : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return Integer.parseInt(status);
    }

    /** Ends the tmux server, and with it the program if it still runs (SIGHUP); gone already is fine. */
    @Override
    public void close() {
        run(Map.of(), List.of("kill-server"), false);
    }

    private String run(Map<String, String> env, List<String> args) {
        return run(env, args, true);
    }

    private String run(Map<String, String> env, List<String> args, boolean mustSucceed) {
        List<String> command = new ArrayList<>(List.of(TMUX, "-S", socket.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("tmux " + args + " still running after " + WAIT);
            }
            if (mustSucceed && process.exitValue() != 0) {
                throw new AssertionError("tmux " + args + " failed (" + process.exitValue() + "): " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
