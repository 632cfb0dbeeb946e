package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class StreamSessionTest {

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @Test
    void everyByteValueSurvivesSeveralMebibytes() throws IOException {
        // Far more than the socket buffers hold: copying one direction after the other would hang.
        byte[] input = new byte[8 * 1024 * 1024];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) i;
        }
        try (TestServer server = TestServer.uppercasing()) {
            pipe(server, new ByteArrayInputStream(input));
        }
        assertArrayEquals(TestServer.uppercased(input), stdout.toByteArray());
    }

    @Test
    void endsWhenTheServerClosesEvenThoughStdinStaysOpen() throws IOException {
        byte[] farewell = "bye\n".getBytes(StandardCharsets.US_ASCII);
        try (TestServer server = TestServer.start(connection -> connection.getOutputStream().write(farewell));
                PipedOutputStream keyboard = new PipedOutputStream();
                PipedInputStream neverEndingStdin = new PipedInputStream(keyboard)) {
            pipe(server, neverEndingStdin);
        }
        assertArrayEquals(farewell, stdout.toByteArray());
    }

    @Test
    void stdinFailureIsReportedRatherThanTheSocketItClosed() throws IOException {
        IOException stdinFailure = new IOException("stdin broke");
        InputStream brokenStdin = new InputStream() {
            @Override
            public int read() throws IOException {
                throw stdinFailure;
            }
        };
        try (TestServer server = TestServer.uppercasing()) {
            IOException reported = assertThrows(IOException.class, () -> pipe(server, brokenStdin));
            assertEquals(stdinFailure, reported);
        }
    }

    private void pipe(TestServer server, InputStream stdin) throws IOException {
        try (Socket socket = new Socket(TestServer.HOST, server.port())) {
            new StreamSession(stdin, stdout).run(socket);
        }
    }
}
