package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MessageSessionTest {

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    @Test
    void replyIsPrintedOnItsOwnLine() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            send(server, "hello, world");
        }
        assertEquals("HELLO, WORLD%n".formatted(), screen());
    }

    @Test
    void replyLongerThan1024BytesIsPrintedWhole() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            send(server, "x".repeat(5000));
        }
        assertEquals("X".repeat(5000) + "%n".formatted(), screen());
    }

    @Test
    void emptyMessageGetsAnEmptyReply() throws IOException {
        try (TestServer server = TestServer.uppercasing()) {
            send(server, "");
        }
        assertEquals("%n".formatted(), screen());
    }

    @Test
    void serverClosingWithoutAReplyIsAnError() throws IOException {
        try (TestServer server = TestServer.start(connection -> connection.getInputStream().readAllBytes())) {
            assertThrows(EOFException.class, () -> send(server, "hello"));
        }
    }

    private void send(TestServer server, String message) throws IOException {
        try (Socket socket = new Socket(TestServer.HOST, server.port())) {
            new MessageSession(message, new PrintWriter(new OutputStreamWriter(screen, StandardCharsets.UTF_8)))
                    .run(socket);
        }
    }

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }
}
