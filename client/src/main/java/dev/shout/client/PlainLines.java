package dev.shout.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Lines read from stdin as they come, like the exercise's {@code input('>>: ')}: for {@code -i}
 * with a pipe on stdin, and for a terminal that no line editor can drive.
 */
final class PlainLines implements LineSource {

    private final BufferedReader stdin;
    private final PrintWriter out;

    PlainLines(InputStream stdin, PrintWriter out) {
        this.stdin = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        this.out = out;
    }

    @Override
    public String readLine(String prompt) throws IOException {
        out.print(prompt);
        out.flush();
        return stdin.readLine();
    }

    /** Leaves stdin open: it belongs to the process, not to this reader. */
    @Override
    public void close() {
    }
}
