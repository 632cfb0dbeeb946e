package dev.shout.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A stand-in for the real server, on loopback only, running one {@link Handler} per connection on
 * its own thread. The connection is closed when the handler returns.
 */
public final class TestServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    public interface Handler {
        void handle(Socket connection) throws IOException;
    }

    public static final String HOST = "127.0.0.1";
    private static final int BACKLOG = 50;

    private final ServerSocket serverSocket;
    private final Handler handler;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    private TestServer(ServerSocket serverSocket, Handler handler) {
        this.serverSocket = serverSocket;
        this.handler = handler;
        Thread acceptor = new Thread(this::acceptConnections, "test-server-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static TestServer start(Handler handler) throws IOException {
        return new TestServer(new ServerSocket(0, BACKLOG, InetAddress.getByName(HOST)), handler);
    }

    /** Like {@link #uppercasing()}, over TLS with {@code certificate}. */
    public static TestServer uppercasingOverTls(TestCertificate certificate) throws IOException {
        return new TestServer(tlsServerSocket(certificate.serverContext()), TestServer::echoUppercased);
    }

    /** Like {@link #uppercasingOverTls(TestCertificate)}, requiring the client certificate {@code client}. */
    public static TestServer uppercasingOverTlsRequiring(TestCertificate certificate, TestCertificate client)
            throws IOException {
        SSLServerSocket socket = tlsServerSocket(certificate.serverContextTrusting(client));
        socket.setNeedClientAuth(true);
        return new TestServer(socket, TestServer::echoUppercased);
    }

    private static SSLServerSocket tlsServerSocket(SSLContext context) throws IOException {
        return (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, BACKLOG, InetAddress.getByName(HOST));
    }

    /** Echoes everything upper-cased as it arrives, and closes once the client has half-closed. */
    public static TestServer uppercasing() throws IOException {
        return start(TestServer::echoUppercased);
    }

    /**
     * Like {@link #uppercasing()}, but the byte at {@code offset} of every reply stream comes back
     * with its 0x20 bit flipped, so that it is wrong whatever it was.
     */
    public static TestServer corruptingByteAt(long offset) throws IOException {
        return start(connection -> echoUppercasedCorrupting(connection, offset));
    }

    /**
     * Reads one request line and closes without answering. Nothing is left unread, so the client
     * sees a plain end of stream rather than a reset.
     */
    static TestServer hangingUpAfterOneLine() throws IOException {
        return start(TestServer::readOneLine);
    }

    /** A port nobody listens on: bound by the system for a moment, then released. */
    public static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /** ASCII letters only: enough to tell a reply from an echo without changing byte lengths. */
    static byte[] uppercased(byte[] bytes) {
        byte[] result = bytes.clone();
        uppercaseInPlace(result, result.length);
        return result;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }

    private void acceptConnections() {
        try {
            while (true) {
                Socket connection = serverSocket.accept();
                connections.add(connection);
                Thread worker = new Thread(() -> serve(connection), "test-server-connection");
                worker.setDaemon(true);
                worker.start();
            }
        } catch (SocketException closed) {
            // close() was called: stop accepting.
        } catch (IOException e) {
            throw new IllegalStateException("test server cannot accept", e);
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            handler.handle(connection);
        } catch (IOException e) {
            // The client under test ends conversations as it sees fit; the tests judge its side.
        } finally {
            // Churning clients open thousands of connections; keep only the ones still open.
            connections.remove(connection);
        }
    }

    private static void echoUppercased(Socket connection) throws IOException {
        echoUppercasedCorrupting(connection, -1);
    }

    private static void echoUppercasedCorrupting(Socket connection, long corruptOffset) throws IOException {
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream();
        byte[] buffer = new byte[8192];
        long offset = 0;
        for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
            uppercaseInPlace(buffer, n);
            if (corruptOffset >= offset && corruptOffset < offset + n) {
                buffer[(int) (corruptOffset - offset)] ^= 0x20;
            }
            offset += n;
            out.write(buffer, 0, n);
        }
    }

    private static void readOneLine(Socket connection) throws IOException {
        InputStream in = connection.getInputStream();
        int b;
        do {
            b = in.read();
        } while (b != '\n' && b != -1);
    }

    private static void uppercaseInPlace(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] >= 'a' && bytes[i] <= 'z') {
                bytes[i] -= 'a' - 'A';
            }
        }
    }
}
