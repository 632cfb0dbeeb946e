package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InteractiveSessionTest {

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    /** Without auto-flush, so that only what the session flushes itself reaches the screen. */
    private final PrintWriter unflushedScreen = new PrintWriter(new OutputStreamWriter(screen, StandardCharsets.UTF_8));

    @Test
    void promptIsOnScreenBeforeTheUserTypes() throws IOException {
        AtomicReference<String> screenWhenTyping = new AtomicReference<>();
        InputStream keyboard = new FilterInputStream(typed("exit\n")) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                screenWhenTyping.compareAndSet(null, screen.toString(StandardCharsets.UTF_8));
                return super.read(buffer, offset, length);
            }
        };
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, keyboard);
        }
        assertEquals(InteractiveSession.PROMPT, screenWhenTyping.get());
    }

    @Test
    void eachLineIsAnsweredInUpperCase() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, typed("hello\nworld\n"));
        }
        assertEquals(">>: HELLO%n>>: WORLD%n>>: %n".formatted(), screen());
    }

    @Test
    void blankLinesAreSkippedAndLinesAreStripped() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, typed("\n   \n\t hi  \n"));
        }
        assertEquals(">>: >>: >>: HI%n>>: %n".formatted(), screen());
    }

    @Test
    void replyLongerThan1024BytesIsPrintedWhole() throws IOException {
        String line = "a".repeat(5000);
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, typed(line + "\n"));
        }
        assertEquals(">>: %s%n>>: %n".formatted("A".repeat(5000)), screen());
    }

    @Test
    void textTravelsAsUtf8() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, typed("straße über\n"));
        }
        assertEquals(">>: STRAßE üBER%n>>: %n".formatted(), screen());
    }

    @Test
    void exitQuitsWithoutBeingSent() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, typed("  exit \nhello\n"));
        }
        assertEquals(InteractiveSession.PROMPT, screen());
    }

    @Test
    void endOfInputQuitsOnAFreshLine() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, typed(""));
        }
        assertEquals(">>: %n".formatted(), screen());
    }

    @Test
    void quittingHalfClosesSoTheServerSeesTheEnd() throws IOException {
        int afterQuitting;
        try (TestServer server = TestServer.uppercasing();
                Socket socket = new Socket(TestServer.HOST, server.port())) {
            session(typed("hello\n")).run(socket);
            // The test server closes its side only once it has read the end of the stream.
            afterQuitting = socket.getInputStream().read();
        }
        assertEquals(-1, afterQuitting);
    }

    @Test
    void serverHangingUpBeforeTheReplyIsAnError() throws IOException {
        try (TestServer server = TestServer.hangingUpAfterOneLine()) {
            assertThrows(EOFException.class, () -> talk(server, typed("hello\n")));
        }
    }

    @Test
    void severalLinesReadAtOnceAreSentOneByOneEachWithItsReply() throws IOException {
        ScriptedLines keyboard = new ScriptedLines("one\n\n  two \r\nthree");
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, keyboard);
        }
        assertEquals("ONE%nTWO%nTHREE%n%n".formatted(), screen());
    }

    @Test
    void exitAmongLinesReadAtOnceQuitsThere() throws IOException {
        ScriptedLines keyboard = new ScriptedLines("one\nexit\nnever sent", "nor this");
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, keyboard);
        }
        assertEquals("ONE%n".formatted(), screen());
        assertEquals(List.of("nor this"), List.copyOf(keyboard.unread));
    }

    @Test
    void theKeyboardIsClosedWhenTheUserQuits() throws IOException {
        ScriptedLines keyboard = new ScriptedLines("hello");
        try (TestServer server = TestServer.uppercasing()) {
            talk(server, keyboard);
        }
        assertTrue(keyboard.closed);
    }

    @Test
    void theKeyboardIsClosedWhenTheServerHangsUp() throws IOException {
        ScriptedLines keyboard = new ScriptedLines("hello", "world");
        try (TestServer server = TestServer.hangingUpAfterOneLine()) {
            assertThrows(EOFException.class, () -> talk(server, keyboard));
        }
        assertTrue(keyboard.closed, "a terminal left in raw mode would garble the shell after the error");
    }

    @Test
    void aRequestGoesOutAsUtf8EndedByANewline() {
        assertArrayEquals(new byte[] {'s', 't', 'r', 'a', (byte) 0xC3, (byte) 0x9F, 'e', '\n'},
                InteractiveSession.encode("straße"));
    }

    /** What a line editor might return: each read one string, with line breaks in it after a paste. */
    private static final class ScriptedLines implements LineSource {
        private final Deque<String> unread;
        private boolean closed;

        ScriptedLines(String... reads) {
            this.unread = new ArrayDeque<>(List.of(reads));
        }

        @Override
        public String readLine(String prompt) {
            return unread.poll();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private void talk(TestServer server, InputStream keyboard) throws IOException {
        talk(server, new PlainLines(keyboard, unflushedScreen));
    }

    private void talk(TestServer server, LineSource keyboard) throws IOException {
        try (Socket socket = new Socket(TestServer.HOST, server.port())) {
            session(keyboard).run(socket);
        }
    }

    private InteractiveSession session(InputStream keyboard) {
        return session(new PlainLines(keyboard, unflushedScreen));
    }

    private InteractiveSession session(LineSource keyboard) {
        return new InteractiveSession(() -> keyboard, unflushedScreen);
    }

    private static InputStream typed(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }
}
