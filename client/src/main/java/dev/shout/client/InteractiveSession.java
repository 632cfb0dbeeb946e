package dev.shout.client;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The classic exercise's prompt loop: one line typed, one line shouted back. Replies are read up to
 * their newline rather than by counting bytes, because a reply can be longer than any buffer and
 * upper-casing can change its length in UTF-8.
 */
final class InteractiveSession implements Session {

    static final String PROMPT = ">>: ";
    private static final String EXIT_COMMAND = "exit";

    private final BufferedReader stdin;
    private final PrintWriter out;

    InteractiveSession(InputStream stdin, PrintWriter out) {
        this.stdin = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        this.out = out;
    }

    @Override
    public void run(Socket socket) throws IOException {
        OutputStream toServer = socket.getOutputStream();
        InputStream fromServer = new BufferedInputStream(socket.getInputStream());
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line = stdin.readLine();
            if (line == null) {
                // After Ctrl-D the cursor still sits behind the prompt; leave the shell a clean line.
                out.println();
                break;
            }
            String request = line.strip();
            if (request.equals(EXIT_COMMAND)) {
                break;
            }
            if (!request.isEmpty()) {
                toServer.write((request + "\n").getBytes(StandardCharsets.UTF_8));
                out.println(readReplyLine(fromServer));
            }
        }
        out.flush();
        socket.shutdownOutput();
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
