package dev.shout.client.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The trust manager's refusal of a server's certificate, with the chain the server sent and the
 * host the client asked for, which the JDK's own exceptions leave out.
 */
final class RefusedCertificate extends CertificateException {

    private static final long serialVersionUID = 1L;

    private final transient List<X509Certificate> chain;
    private final String peerHost;

    RefusedCertificate(List<X509Certificate> chain, String peerHost, CertificateException refusal) {
        super(refusal.getMessage(), refusal);
        this.chain = List.copyOf(chain);
        this.peerHost = peerHost;
    }

    /** The server's own certificate, first in its chain. */
    X509Certificate leaf() {
        return chain.get(0);
    }

    /** The host name or address the client connected to, or {@code null} where the JDK did not say. */
    String peerHost() {
        return peerHost;
    }
}
