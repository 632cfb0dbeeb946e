package dev.shout.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pipes stdin to the server and the server to stdout, like {@code nc -N}, for use in shell
 * pipelines. Bytes are copied untouched so that any input survives, and both directions run at
 * once: copying one after the other would deadlock as soon as the input outgrows the socket
 * buffers.
 */
final class StreamSession implements Session {

    private static final int CHUNK_SIZE = 64 * 1024;

    private final InputStream stdin;
    private final OutputStream stdout;

    StreamSession(InputStream stdin, OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    /** Returns once the server has closed its side and everything it sent is on stdout. */
    @Override
    public void run(Socket socket) throws IOException {
        AtomicReference<IOException> uploadFailure = new AtomicReference<>();
        Thread uploader = new Thread(() -> upload(socket, uploadFailure), "shout-stdin-to-server");
        // Once the server is done, a stdin that never ends must not keep the client alive.
        uploader.setDaemon(true);
        uploader.start();
        try {
            copy(socket.getInputStream(), stdout);
        } catch (IOException downloadFailure) {
            IOException cause = uploadFailure.get();
            throw cause != null ? cause : downloadFailure;
        }
    }

    private void upload(Socket socket, AtomicReference<IOException> failure) {
        try {
            copy(stdin, socket.getOutputStream());
            socket.shutdownOutput();
        } catch (IOException e) {
            failure.set(e);
            try {
                // Wakes the download so that it reports this failure instead of waiting forever.
                socket.close();
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
        }
    }

    /** Flushes every chunk so that output appears as it arrives, not when a buffer fills. */
    private static void copy(InputStream from, OutputStream to) throws IOException {
        byte[] chunk = new byte[CHUNK_SIZE];
        for (int n = from.read(chunk); n != -1; n = from.read(chunk)) {
            to.write(chunk, 0, n);
            to.flush();
        }
    }
}
