package dev.shout.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The built client jar, or another command, run as an OS process with its stdin fed from a pipe. */
final class ClientProcess {

    record Result(int exitCode, byte[] stdout, String stderr) {
        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private ClientProcess() {
    }

    static Result run(byte[] stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Jars.java(), "-jar", Jars.client()));
        command.addAll(List.of(args));
        return runCommand(command, stdin);
    }

    /** Runs {@code command} to its end (at most 60 s) and returns what it printed. */
    static Result runCommand(List<String> command, byte[] stdin) throws IOException {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process, true));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process, false));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.get(0) + " still running after 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(process.exitValue(), TcpClient.join(stdout),
                new String(TcpClient.join(stderr), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(Process process, boolean stdout) {
        try {
            return (stdout ? process.getInputStream() : process.getErrorStream()).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
