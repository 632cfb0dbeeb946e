package dev.shout.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends one message for scripts and quick checks. Half-closing right after it lets the reply be
 * read to the end of the stream, so its length never matters.
 */
final class MessageSession implements Session {

    private final String message;
    private final PrintWriter out;

    MessageSession(String message, PrintWriter out) {
        this.message = message;
        this.out = out;
    }

    @Override
    public void run(Socket socket) throws IOException {
        socket.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
        socket.shutdownOutput();
        String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (reply.isEmpty()) {
            throw new EOFException("connection closed without a reply");
        }
        out.println(reply.endsWith("\n") ? reply.substring(0, reply.length() - 1) : reply);
        out.flush();
    }
}
