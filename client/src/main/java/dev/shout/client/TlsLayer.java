package dev.shout.client;

import dev.shout.client.tls.ClientSslContexts;
import dev.shout.client.tls.TlsConfig;
import dev.shout.client.tls.TlsSetupException;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Puts TLS over a connected socket and completes the handshake before any session talks, so that a
 * refused certificate is a failure to connect rather than a broken conversation. The JDK's
 * {@code SSLSocket} checks the host name only when its parameters ask, and sends the host name
 * (SNI) only for names with a dot: both are asked for here.
 */
final class TlsLayer {

    /** An alert already sent is in the socket's buffer: reading it takes no round trip. */
    private static final int ALERT_WAIT_MILLIS = 100;

    private final SSLSocketFactory sockets;
    private final boolean checksHostName;

    private TlsLayer(SSLSocketFactory sockets, boolean checksHostName) {
        this.sockets = sockets;
        this.checksHostName = checksHostName;
    }

    static TlsLayer of(TlsConfig config) throws TlsSetupException {
        return new TlsLayer(ClientSslContexts.forSockets(config).getSocketFactory(), !config.insecure());
    }

    /**
     * The TLS socket over {@code connected}, its handshake done; closing it closes
     * {@code connected}. The handshake may take {@code timeout}, so that a server that never
     * answers it cannot hold the client forever.
     */
    SSLSocket handshake(Socket connected, String host, int port, Duration timeout) throws IOException {
        SSLSocket tls = (SSLSocket) sockets.createSocket(connected, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        if (checksHostName) {
            parameters.setEndpointIdentificationAlgorithm(ClientSslContexts.HOST_NAME_CHECK);
        }
        serverName(host).ifPresent(name -> parameters.setServerNames(List.of(name)));
        tls.setSSLParameters(parameters);
        int readTimeout = tls.getSoTimeout();
        tls.setSoTimeout((int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        tls.startHandshake();
        tls.setSoTimeout(readTimeout);
        return tls;
    }

    /**
     * The alert the server sent before it closed, if it did, in place of the broken write it
     * caused. A TLS 1.3 server judges the client's certificate only after the client's handshake
     * is done: one that wants a certificate it did not get says so and closes, and a write sent
     * meanwhile fails with a broken pipe that tells the user nothing.
     */
    static IOException withAlertReceived(SSLSocket socket, SocketException broken) {
        try {
            socket.setSoTimeout(ALERT_WAIT_MILLIS);
            socket.getInputStream().read();
        } catch (SSLException alert) {
            alert.addSuppressed(broken);
            return alert;
        } catch (IOException nothingToRead) {
            broken.addSuppressed(nothingToRead);
        }
        return broken;
    }

    /** The name to send in the hello: none for an address, nor for a name SNI cannot carry. */
    private static Optional<SNIHostName> serverName(String host) {
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SNIHostName(host));
        } catch (IllegalArgumentException notAHostName) {
            return Optional.empty();
        }
    }
}
