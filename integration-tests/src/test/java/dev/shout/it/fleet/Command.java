package dev.shout.it.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A short command run to its end: the plumbing of the fleet ({@code ip}, {@code kill}) and the checks ({@code promtool}). */
record Command(int exitCode, String output) {

    private static final long LIMIT_SECONDS = 60;

    /** Runs {@code command} and returns its output; fails, with that output, if it exits other than 0. */
    static String run(String... command) {
        Command done = run(new byte[0], command);
        if (done.exitCode != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + done.exitCode + ": " + done.output);
        }
        return done.output;
    }

    /** Runs {@code command} with {@code input} on its stdin; its stdout and stderr together. */
    static Command run(byte[] input, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input);
            }
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + LIMIT_SECONDS + " s");
            }
            return new Command(process.exitValue(), output.join());
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code ip netns exec NAMESPACE command...}: the command inside a network namespace. */
    static List<String> inNamespace(String namespace, List<String> command) {
        return concat(List.of(Tools.path("ip"), "netns", "exec", namespace), command);
    }

    static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
