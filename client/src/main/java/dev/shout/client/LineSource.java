package dev.shout.client;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where the interactive loop gets what the user types: plain lines from a pipe, or lines edited
 * at a terminal. Each shows the prompt its own way, which is why the prompt is passed in.
 */
interface LineSource extends Closeable {

    /** The next line, without its line ending, or {@code null} once the user is done typing. */
    String readLine(String prompt) throws IOException;
}
