package dev.shout.client.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's trust manager, deciding as it does, with two changes. A refusal of the server's
 * certificate carries the chain and the host asked for ({@link RefusedCertificate}), so that
 * {@link TlsFailure} can say whom the certificate is for: the JDK's message names only the host
 * that did not match. And the server's certificate is refused once expired even where it is itself
 * the authority named with {@code --ca}, as OpenSSL does: the JDK checks no dates of a trust anchor.
 */
final class ChainKeepingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;

    ChainKeepingTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    /** One of the JDK's checks of a server's chain. */
    private interface Check {
        void run() throws CertificateException;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        SSLSession handshake = socket instanceof SSLSocket tls ? tls.getHandshakeSession() : null;
        check(chain, handshake == null ? null : handshake.getPeerHost(),
                () -> delegate.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, engine == null ? null : engine.getPeerHost(),
                () -> delegate.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null, () -> delegate.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /**
     * The JDK's check, then the dates of the server's own certificate only: the JDK has checked
     * those of the rest of any chain it built to an authority.
     */
    private static void check(X509Certificate[] chain, String peerHost, Check jdk) throws CertificateException {
        try {
            jdk.run();
            chain[0].checkValidity();
        } catch (CertificateException e) {
            throw new RefusedCertificate(List.of(chain), peerHost, e);
        }
    }
}
