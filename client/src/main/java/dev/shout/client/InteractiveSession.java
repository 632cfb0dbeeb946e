package dev.shout.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The classic exercise's prompt loop: one line typed, one line shouted back. Replies are read up to
 * their newline rather than by counting bytes, because a reply can be longer than any buffer and
 * upper-casing can change its length in UTF-8.
 */
final class InteractiveSession implements Session {

    static final String PROMPT = ">>: ";
    private static final String EXIT_COMMAND = "exit";

    private final Supplier<LineSource> keyboard;
    private final PrintWriter out;

    /**
     * @param keyboard opened once connected, so that a refused connection leaves the terminal
     *                 untouched, and closed when the conversation ends, however it ends
     */
    InteractiveSession(Supplier<LineSource> keyboard, PrintWriter out) {
        this.keyboard = keyboard;
        this.out = out;
    }

    @Override
    public void run(Socket socket) throws IOException {
        try (LineSource lines = keyboard.get()) {
            talk(lines, socket.getOutputStream(), new BufferedInputStream(socket.getInputStream()));
        }
        out.flush();
        socket.shutdownOutput();
    }

    private void talk(LineSource lines, OutputStream toServer, InputStream fromServer) throws IOException {
        while (true) {
            String typed = lines.readLine(PROMPT);
            if (typed == null) {
                // After Ctrl-D the cursor still sits behind the prompt; leave the shell a clean line.
                out.println();
                return;
            }
            if (!converse(typed, toServer, fromServer)) {
                return;
            }
        }
    }

    /**
     * Sends each line of what was typed and prints its reply; more than one when a line editor
     * took a paste of several. Returns false at {@code exit}, which is not sent.
     */
    private boolean converse(String typed, OutputStream toServer, InputStream fromServer) throws IOException {
        for (String line : typed.split("\\R")) {
            String request = line.strip();
            if (request.equals(EXIT_COMMAND)) {
                return false;
            }
            if (!request.isEmpty()) {
                toServer.write(encode(request));
                out.println(readReplyLine(fromServer));
            }
        }
        return true;
    }

    /** A request as it goes out: UTF-8, ended by the newline the server splits lines on. */
    static byte[] encode(String request) {
        return (request + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String readReplyLine(InputStream fromServer) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        for (int b = fromServer.read(); b != '\n'; b = fromServer.read()) {
            if (b == -1) {
                throw new EOFException("connection closed before the reply ended");
            }
            reply.write(b);
        }
        return reply.toString(StandardCharsets.UTF_8);
    }
}
