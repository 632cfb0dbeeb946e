package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.impl.LineDisciplineTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line editor's settings, with keys fed to a terminal that JLine emulates over streams. That a
 * real terminal gets the editor at all is for InteractiveTerminalTest, through a pseudo-terminal.
 */
@Timeout(10)
class TerminalLinesTest {

    /** What xterm sends for the arrows once JLine has put it in keypad mode, as it does when reading. */
    private static final String LEFT = "\u001bOD";
    private static final String UP = "\u001bOA";
    private static final String ENTER = "\r";
    private static final String CTRL_D = "\u0004";

    @TempDir
    Path home;

    @Test
    void leftArrowMovesTheCursorInsteadOfBeingTyped() throws IOException {
        assertEquals(List.of("abXc"), linesTyped("abc" + LEFT + "X" + ENTER, null));
    }

    @Test
    void cursorKeysPressedOutsideKeypadModeEditToo() throws IOException {
        assertEquals(List.of("abXc", "abXc"), linesTyped("abc\u001b[DX" + ENTER + "\u001b[A" + ENTER, null));
    }

    @Test
    void unclosedQuotesAndATrailingBackslashDoNotHoldEnterBack() throws IOException {
        String line = "it's \"half \\";
        assertEquals(List.of(line, "next"), linesTyped(line + ENTER + "next" + ENTER, null));
    }

    @Test
    void bangsAreNotHistoryExpansions() throws IOException {
        String line = "again !! !$ !-1";
        assertEquals(List.of("first", line), linesTyped("first" + ENTER + line + ENTER, null));
    }

    @Test
    void upRecallsTheLineBefore() throws IOException {
        assertEquals(List.of("first", "first"), linesTyped("first" + ENTER + UP + ENTER, null));
    }

    @Test
    void historyIsKeptOwnerOnlyAndRecalledNextTime() throws IOException {
        Path history = home.resolve(ShoutClient.HISTORY_FILE);
        linesTyped("secret payload" + ENTER, history);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
        assertEquals(List.of("secret payload"), linesTyped(UP + ENTER, history));
    }

    @Test
    void withoutAHistoryFileNothingIsWritten() throws IOException {
        linesTyped("secret payload" + ENTER + UP + ENTER, null);
        try (var files = Files.list(home)) {
            assertEquals(List.of(), files.toList());
        }
    }

    /**
     * Every line read from {@code keys} and then Ctrl-D, typed ahead into a terminal that JLine
     * emulates in Java (a line discipline without a pseudo-terminal under it).
     */
    private static List<String> linesTyped(String keys, Path historyFile) throws IOException {
        LineDisciplineTerminal terminal = new LineDisciplineTerminal(
                "test", "xterm", OutputStream.nullOutputStream(), StandardCharsets.UTF_8);
        terminal.processInputBytes((keys + CTRL_D).getBytes(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        try (TerminalLines source = new TerminalLines(terminal, historyFile)) {
            for (String line = source.readLine(InteractiveSession.PROMPT); line != null;
                    line = source.readLine(InteractiveSession.PROMPT)) {
                lines.add(line);
            }
        }
        return lines;
    }
}
