package dev.shout.client;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the {@code shout} command exactly as {@link ShoutClient#main} does, but with its streams
 * captured, for the tests of the command and of its subcommands in other packages.
 */
public final class ShoutClientHarness {

    /** What a run of the command left behind. */
    public record Outcome(int exitCode, String out, String err) {

        public List<String> errLines() {
            return err.lines().toList();
        }
    }

    private ShoutClientHarness() {
    }

    /** A run with nothing on stdin, which is not a terminal. */
    public static Outcome run(String... args) {
        return run(InputStream.nullInputStream(), false, args);
    }

    public static Outcome run(InputStream stdin, boolean stdinIsTerminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = ShoutClient.newCommandLine(stdin, out, err, stdinIsTerminal).execute(args);
        return new Outcome(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
