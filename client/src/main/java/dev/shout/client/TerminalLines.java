package dev.shout.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Lines typed at a real terminal and edited there with JLine, as in a shell: arrows and Emacs keys
 * move and edit, Up and Down walk the history, Ctrl-R searches it, Ctrl-C clears the line and
 * Ctrl-D ends. Without it the terminal itself would pass arrow keys on as escape bytes.
 */
final class TerminalLines implements LineSource {

    private final Terminal terminal;
    private final LineReader reader;

    /**
     * Takes over the process's terminal, through the JNI provider only (its library is in the jar):
     * a dumb terminal, JLine's fallback, would edit nothing while looking as if it did, so failing
     * here is for the caller to report.
     */
    static TerminalLines open(Path historyFile) throws IOException {
        try {
            return new TerminalLines(TerminalBuilder.builder()
                    .name(ShoutClient.NAME)
                    .system(true)
                    .provider(TerminalBuilder.PROP_PROVIDER_JNI)
                    .dumb(false)
                    .encoding(StandardCharsets.UTF_8)
                    // Its probe of the terminal at start-up would swallow what was typed ahead.
                    .graphemeCluster(false)
                    .build(), historyFile);
        } catch (IllegalStateException e) {
            throw new IOException(reason(e), e);
        }
    }

    /**
     * @param terminal    closed with this
     * @param historyFile where lines are kept between runs (created owner-only by JLine), or
     *                    {@code null} to keep them only while this runs
     */
    TerminalLines(Terminal terminal, Path historyFile) {
        this.terminal = terminal;
        LineReaderBuilder reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName(ShoutClient.NAME)
                // What is typed is a payload, sent as it is: no '!' history expansion.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null) {
            reader.variable(LineReader.HISTORY_FILE, historyFile);
        }
        this.reader = reader.build();
        bindCursorKeysOutsideKeypadMode(this.reader.getKeyMaps().get(LineReader.MAIN));
    }

    /**
     * JLine binds the cursor keys as the terminal sends them in keypad mode ({@code ESC O A}), which
     * it turns on only while it reads a line. Keys pressed before that, before the first prompt
     * say, come as {@code ESC [ A}, would lose their ESC and be typed as "[A": bind those too.
     */
    private static void bindCursorKeysOutsideKeypadMode(KeyMap<Binding> keys) {
        for (char key : "ABCDHF".toCharArray()) {
            Binding inKeypadMode = keys.getBound("\033O" + key);
            if (inKeypadMode != null && keys.getBound("\033[" + key) == null) {
                keys.bind(inKeypadMode, "\033[" + key);
            }
        }
    }

    /** JLine says only that it could not; why is in what it suppressed: the provider's failure. */
    private static String reason(IllegalStateException e) {
        Throwable why = e;
        for (Throwable suppressed : e.getSuppressed()) {
            why = suppressed;
        }
        while (why.getCause() != null) {
            why = why.getCause();
        }
        return why == e ? e.getMessage() : e.getMessage() + ": " + why.getMessage();
    }

    @Override
    public String readLine(String prompt) {
        while (true) {
            try {
                return reader.readLine(prompt);
            } catch (UserInterruptException ctrlC) {
                // Ctrl-C drops what was typed and asks again, as a shell does.
            } catch (EndOfFileException ctrlD) {
                return null;
            }
        }
    }

    /** Gives the terminal back as it was found, whatever ended the conversation. */
    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
