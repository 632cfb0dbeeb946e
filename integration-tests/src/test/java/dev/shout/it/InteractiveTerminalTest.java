package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client jar at a real terminal: a pseudo-terminal from tmux, keys typed into it and the screen
 * read back, against the server jar. A terminal emulated inside JLine would not notice the client
 * falling back to a dumb terminal, where arrows reach the server as escape bytes; this does.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class InteractiveTerminalTest {

    private static final String PROMPT = ">>: ";
    private static final String RECEIVED_BYTES = "shout_received_bytes_total";

    private static ServerProcess server;
    private static MetricsEndpoint metrics;

    @TempDir
    Path home;

    @BeforeAll
    static void startServer() {
        Tmux.require();
        server = ServerProcess.start("--mode", "thread", "--metrics-port", "0");
        metrics = MetricsEndpoint.of(server::awaitLog);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void leftArrowEditsTheLineAndOnlyTheEditedLineIsSent() {
        try (Tmux terminal = shout()) {
            double receivedBefore = metrics.sum(RECEIVED_BYTES);
            awaitPrompt(terminal);
            terminal.type("abc");
            terminal.press("Left");
            terminal.type("X");
            terminal.press("Enter");
            String screen = terminal.awaitScreen("the reply ABXC", hasLine("ABXC"));
            assertTrue(hasLine(PROMPT + "abXc").test(screen), screen);
            assertFalse(screen.contains("^["), "an escape sequence echoed: " + screen);
            // "abXc\n" and nothing else: ESC [ D or ESC O D would have made it 8.
            metrics.awaitSum(RECEIVED_BYTES, receivedBefore + 5);
        }
    }

    @Test
    void upRecallsThePreviousLine() {
        try (Tmux terminal = shout()) {
            send(terminal, "first line");
            terminal.awaitScreen("the reply", hasLine("FIRST LINE"));
            terminal.press("Up");
            terminal.awaitScreen("the line recalled", screen -> lastLine(screen).equals(PROMPT + "first line"));
            terminal.press("Enter");
            terminal.awaitScreen("the reply again", screen -> count(screen, "FIRST LINE") == 2);
        }
    }

    @Test
    void ctrlRSearchesTheHistory() {
        try (Tmux terminal = shout()) {
            send(terminal, "alpha one");
            send(terminal, "beta two");
            terminal.awaitScreen("both replies", hasLine("BETA TWO"));
            terminal.press("C-r");
            terminal.type("pha");
            terminal.awaitScreen("the search finding alpha", screen -> screen.contains("alpha one"));
            terminal.press("Enter");
            terminal.awaitScreen("the line found, sent", screen -> count(screen, "ALPHA ONE") == 2);
        }
    }

    @Test
    void ctrlCDropsTheLineTyped() {
        try (Tmux terminal = shout()) {
            awaitPrompt(terminal);
            terminal.type("dropped");
            terminal.press("C-c");
            send(terminal, "kept");
            String screen = terminal.awaitScreen("the reply", hasLine("KEPT"));
            assertFalse(screen.contains("DROPPED"), screen);
        }
    }

    /** Before the first prompt the terminal is not yet in keypad mode: Left comes as ESC [ D, not ESC O D. */
    @Test
    void editsTypedBeforeTheFirstPromptAreKept() {
        try (Tmux terminal = shout()) {
            terminal.type("eary");
            terminal.press("Left");
            terminal.type("l");
            terminal.press("Enter");
            terminal.awaitScreen("its reply", hasLine("EARLY"));
        }
    }

    @Test
    void aLongReplyIsPrintedWhole() {
        String line = "ß".repeat(1000);
        try (Tmux terminal = shout()) {
            send(terminal, line);
            terminal.awaitScreen("the whole reply, 2000 letters", hasLine("SS".repeat(1000)));
        }
    }

    @Test
    void historySurvivesARestartInAFileOnlyTheUserCanRead() throws IOException {
        try (Tmux terminal = shout()) {
            send(terminal, "remember me");
            terminal.awaitScreen("the reply", hasLine("REMEMBER ME"));
            terminal.press("C-d");
            assertEquals(0, terminal.awaitExit(), "exit status after Ctrl-D");
        }
        Path history = home.resolve(".shout_history");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
        try (Tmux terminal = shout()) {
            awaitPrompt(terminal);
            terminal.press("Up");
            terminal.awaitScreen("the line of the last run", screen -> lastLine(screen).equals(PROMPT + "remember me"));
            terminal.press("Enter");
            terminal.awaitScreen("its reply", hasLine("REMEMBER ME"));
        }
    }

    @Test
    void noHistoryWritesNothingAndExitQuits() throws IOException {
        try (Tmux terminal = shout("--no-history")) {
            send(terminal, "secret");
            terminal.awaitScreen("the reply", hasLine("SECRET"));
            send(terminal, "exit");
            assertEquals(0, terminal.awaitExit(), "exit status after 'exit'");
        }
        try (Stream<Path> files = Files.list(home)) {
            assertEquals(List.of(), files.filter(file -> !file.getFileName().toString().startsWith("tmux")).toList());
        }
    }

    /** The client on the test's server, in a terminal, with {@link #home} as its home. */
    private Tmux shout(String... flags) {
        List<String> command = new ArrayList<>(List.of(Jars.java(), "-Duser.home=" + home, "-jar", Jars.client(),
                "--port", Integer.toString(server.port())));
        command.addAll(List.of(flags));
        return Tmux.start(home, Map.of("HOME", home.toString()), command);
    }

    /** Types {@code line} and Enter once the client prompts, as a user would. */
    private static void send(Tmux terminal, String line) {
        awaitPrompt(terminal);
        terminal.type(line);
        terminal.press("Enter");
    }

    /** A prompt with nothing typed after it, on the last line. */
    private static void awaitPrompt(Tmux terminal) {
        terminal.awaitScreen("a fresh prompt", screen -> lastLine(screen).equals(PROMPT.strip()));
    }

    private static java.util.function.Predicate<String> hasLine(String line) {
        return screen -> screen.lines().map(String::stripTrailing).anyMatch(line::equals);
    }

    private static long count(String screen, String line) {
        return screen.lines().map(String::stripTrailing).filter(line::equals).count();
    }

    /** The last line with anything on it, without trailing blanks (capture-pane keeps them). */
    private static String lastLine(String screen) {
        List<String> lines = screen.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).stripTrailing();
    }
}
