package dev.shout.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A raw TCP client on loopback, as netcat would be. */
final class TcpClient {

    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int READ_TIMEOUT_MILLIS = 60_000;

    private TcpClient() {
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /**
     * Sends {@code payload} in random-sized writes while reading concurrently, half-closes,
     * and returns everything the server sent until it closed.
     */
    static byte[] exchange(int port, byte[] payload, Random random) throws IOException {
        try (Socket socket = connect(port)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeInPieces(socket, payload, random));
            byte[] reply = socket.getInputStream().readAllBytes();
            join(writer);
            return reply;
        }
    }

    static void writeInPieces(Socket socket, byte[] payload, Random random) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int at = 0; at < payload.length; ) {
                int piece = Math.min(payload.length - at, 1 + random.nextInt(random.nextBoolean() ? 64 : 65_536));
                out.write(payload, at, piece);
                at += piece;
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads exactly {@code length} bytes, or fails. */
    static byte[] readExactly(Socket socket, int length) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("connection ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    static <T> T join(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException(e.getCause());
        }
    }
}
