package dev.shout.client;

import dev.shout.client.tls.TlsFailure;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;

/**
 * Owns the socket's whole life, so that every network failure, whether while connecting or in the
 * middle of a conversation, reaches the user as one line naming the server rather than as a stack
 * trace.
 */
final class Connector {

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final Optional<TlsLayer> tls;
    private final Supplier<Socket> sockets;

    Connector(String host, int port, Duration connectTimeout) {
        this(host, port, connectTimeout, Optional.empty());
    }

    /** @param tls with it, the session talks TLS, its handshake done as part of connecting */
    Connector(String host, int port, Duration connectTimeout, Optional<TlsLayer> tls) {
        this(host, port, connectTimeout, tls, Socket::new);
    }

    /** @param sockets unconnected sockets: tests make some fail where timing alone rarely does */
    Connector(String host, int port, Duration connectTimeout, Optional<TlsLayer> tls, Supplier<Socket> sockets) {
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.tls = tls;
        this.sockets = sockets;
    }

    /** Connects, lets the session talk, and closes the socket whatever happens. */
    void run(Session session) throws ConnectionFailure {
        try (Socket socket = sockets.get()) {
            connect(socket);
            // Closing the TLS socket first tells the server the conversation is over (close_notify).
            try (Socket conversation = secure(socket)) {
                converse(session, conversation);
            }
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** Lets the session talk; a TLS failure on the way is said as {@link TlsFailure} says it. */
    private void converse(Session session, Socket conversation) throws IOException, ConnectionFailure {
        if (!(conversation instanceof SSLSocket secured)) {
            session.run(conversation);
            return;
        }
        boolean certificateShown = secured.getSession().getLocalCertificates() != null;
        try {
            session.run(secured);
        } catch (IOException e) {
            IOException failure = e instanceof SocketException broken ? TlsLayer.withAlertReceived(secured, broken) : e;
            Optional<String> tlsFailure = TlsFailure.describe(failure, certificateShown);
            if (tlsFailure.isPresent()) {
                throw new ConnectionFailure("connection to " + endpoint() + " failed: " + tlsFailure.get(), failure);
            }
            throw failure;
        }
    }

    /** The connected socket itself, or the TLS socket over it once the handshake is done. */
    private Socket secure(Socket socket) throws ConnectionFailure {
        if (tls.isEmpty()) {
            return socket;
        }
        try {
            return tls.get().handshake(socket, host, port, connectTimeout);
        } catch (IOException e) {
            throw new ConnectionFailure("cannot connect to " + endpoint() + ": " + handshakeFailureReason(e), e);
        }
    }

    private String handshakeFailureReason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "no answer to the TLS handshake within " + DurationConverter.format(connectTimeout)
                    + " (is the server started with --tls-cert?)";
        }
        return TlsFailure.describe(e).orElseGet(() -> describe(e));
    }

    private void connect(Socket socket) throws ConnectionFailure {
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis());
        } catch (IOException e) {
            if (isReset(e)) {
                // The kernel answers a reset to its SYN with "refused"; "reset" means the handshake
                // completed and the server then reset the connection, only before connect()
                // returned (on loopback its RST can beat connect's last check of the socket).
                throw lost(e);
            }
            throw new ConnectionFailure("cannot connect to " + endpoint() + ": " + connectFailureReason(e), e);
        }
    }

    private int timeoutMillis() {
        return (int) Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE);
    }

    private String connectFailureReason(IOException e) {
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof SocketTimeoutException) {
            return "timed out after " + DurationConverter.format(connectTimeout);
        }
        return describe(e);
    }

    private ConnectionFailure lost(IOException e) {
        if (e instanceof EOFException) {
            return new ConnectionFailure("connection closed by " + endpoint(), e);
        }
        if (isReset(e)) {
            return new ConnectionFailure("connection reset by " + endpoint(), e);
        }
        return new ConnectionFailure("connection to " + endpoint() + " failed: " + describe(e), e);
    }

    /** The JDK says "Connection reset" when a read meets the RST, "Connection reset by peer" when connect does. */
    private static boolean isReset(IOException e) {
        return e instanceof SocketException && describe(e).startsWith("connection reset");
    }

    /** The JDK's messages ("Connection refused") read well once lower-cased to follow a colon. */
    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.toLowerCase(Locale.ROOT);
    }

    private String endpoint() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
