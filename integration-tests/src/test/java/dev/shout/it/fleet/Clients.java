package dev.shout.it.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Clients of the fleet, each from a loopback address of its own (all of 127.0.0.0/8 is
 * loopback), connecting to HAProxy's frontend on 127.0.0.1: to the hosts behind it, several
 * client machines, which the PROXY headers name.
 */
final class Clients {

    static final int TIMEOUT_MILLIS = 30_000;

    private Clients() {
    }

    /** The {@code n}-th address of 127.0.{@code group}.0/24, from .1 on; tests keep to a group of their own. */
    static String address(int group, int n) {
        return "127.0." + group + "." + (1 + n % 254);
    }

    /** A connection to {@code port} on 127.0.0.1 from {@code source}. */
    static Socket connect(String source, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code payload} while reading, half-closes, and returns all the server sent before it closed. */
    static byte[] exchange(Socket socket, byte[] payload) throws IOException {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(payload);
                socket.shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] reply = socket.getInputStream().readAllBytes();
        try {
            writer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
        }
        return reply;
    }

    /** The next byte, or -1 at the end of the stream or on a reset: whether the server closed the connection. */
    static int readOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** The connection's own end, as a PROXY header names it: the client's address and port. */
    static InetSocketAddress client(Socket socket) {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }
}
