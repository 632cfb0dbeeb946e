package dev.shout.client.tls;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the client's TLS context from a {@link TlsConfig}: Netty's for the bench's pipelines, the
 * JDK's for the blocking socket of the other modes. One builder serves both, so that the files are
 * read, and trust decided, in one place. Netty reads PKCS#1 keys through BouncyCastle's PEM
 * reader, which is on the class path for that.
 */
public final class ClientSslContexts {

    /** The JDK's name for checking that the certificate is for the host connected to (RFC 2818). */
    public static final String HOST_NAME_CHECK = "HTTPS";

    private ClientSslContexts() {
    }

    /**
     * For Netty pipelines: OpenSSL (the bundled BoringSSL) where it loads, the JDK's otherwise; a
     * load generator's own cost per handshake and per byte should be as small as it can be.
     * Engines made from it check the host name unless {@code --insecure}.
     */
    public static SslContext forPipelines(TlsConfig config) throws TlsSetupException {
        return build(config, OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
    }

    /**
     * For blocking sockets. The JDK's {@code SSLSocket} checks no host name unless its parameters
     * ask, which is the socket maker's part.
     */
    public static SSLContext forSockets(TlsConfig config) throws TlsSetupException {
        return ((JdkSslContext) build(config, SslProvider.JDK)).context();
    }

    private static SslContext build(TlsConfig config, SslProvider provider) throws TlsSetupException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .endpointIdentificationAlgorithm(config.insecure() ? null : HOST_NAME_CHECK)
                .trustManager(trustManager(config));
        if (config.certificate().isPresent() && config.key().isPresent()) {
            withClientCertificate(builder, config.certificate().get(), config.key().get());
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new TlsSetupException("--tls: cannot set up TLS (" + e.getMessage() + ")");
        }
    }

    private static TrustManager trustManager(TlsConfig config) throws TlsSetupException {
        if (config.insecure()) {
            return InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0];
        }
        KeyStore trusted = config.ca().isPresent() ? trustStore(config.ca().get()) : null;
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            X509ExtendedTrustManager jdk = Arrays.stream(factory.getTrustManagers())
                    .filter(X509ExtendedTrustManager.class::isInstance)
                    .map(X509ExtendedTrustManager.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the JDK has no X.509 trust manager"));
            return new ChainKeepingTrustManager(jdk);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's trust manager cannot be set up", e);
        }
    }

    /** A store of every certificate in {@code file}, each trusted as an authority. */
    private static KeyStore trustStore(Path file) throws TlsSetupException {
        Collection<? extends Certificate> authorities = certificates("--ca", file, read("--ca", file));
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int alias = 0;
            for (Certificate authority : authorities) {
                store.setCertificateEntry("ca-" + alias++, authority);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("an empty key store cannot be made", e);
        }
    }

    private static void withClientCertificate(SslContextBuilder builder, Path certificate, Path key)
            throws TlsSetupException {
        byte[] chain = read("--cert", certificate);
        certificates("--cert", certificate, chain);
        byte[] keyPem = read("--key", key);
        try {
            builder.keyManager(new ByteArrayInputStream(chain), new ByteArrayInputStream(keyPem));
        } catch (IllegalArgumentException e) {
            // The chain parsed above, so the key is what Netty could not read.
            throw new TlsSetupException("--key " + key + ": no PEM private key in it"
                    + " (expected: PKCS#8 or PKCS#1, not encrypted)");
        }
    }

    /** The certificates in {@code pem}, PEM blocks one after the other; at least one. */
    private static Collection<? extends Certificate> certificates(String flag, Path file, byte[] pem)
            throws TlsSetupException {
        try {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            if (!certificates.isEmpty()) {
                return certificates;
            }
        } catch (CertificateException notCertificates) {
            // Said below, as for a file with no certificate at all.
        }
        throw new TlsSetupException(flag + " " + file + ": no PEM certificate in it");
    }

    private static byte[] read(String flag, Path file) throws TlsSetupException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsSetupException(flag + " " + file + ": " + whyUnreadable(e));
        }
    }

    private static String whyUnreadable(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return "cannot be read (" + String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT) + ")";
    }
}
