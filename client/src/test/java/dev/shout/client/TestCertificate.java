package dev.shout.client;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A self-signed certificate in PEM files, for test servers: a client trusts it by naming its own
 * file with {@code --ca}. Netty's generator names the host in the subject only, which the JDK's
 * host name check accepts for DNS names (such as {@code localhost}) but not for addresses.
 * Register one as a static field with {@code @RegisterExtension}: it is made when the class is
 * loaded, outside any test's time limit (the first one loads BouncyCastle, which can take seconds
 * on a loaded machine), and its files are deleted after the class.
 */
public final class TestCertificate implements AutoCloseable, AfterAllCallback {

    private final SelfSignedCertificate generated;

    private TestCertificate(SelfSignedCertificate generated) {
        this.generated = generated;
    }

    /** Valid from yesterday for a month. */
    public static TestCertificate forHost(String host) {
        return forHost(host, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
    }

    public static TestCertificate forHost(String host, Instant notBefore, Instant notAfter) {
        try {
            return new TestCertificate(SelfSignedCertificate.builder().fqdn(host)
                    .notBefore(Date.from(notBefore)).notAfter(Date.from(notAfter)).build());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path certificate() {
        return generated.certificate().toPath();
    }

    /** PKCS#8: {@code BEGIN PRIVATE KEY}. */
    public Path key() {
        return generated.privateKey().toPath();
    }

    /** The same key written as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) into {@code file}. */
    public Path pkcs1Key(Path file) {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(generated.key());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A server's TLS context that shows this certificate. */
    public SSLContext serverContext() {
        return build(SslContextBuilder.forServer(generated.key(), generated.cert()));
    }

    /** A server's TLS context that shows this certificate and trusts the client certificate {@code client} only. */
    public SSLContext serverContextTrusting(TestCertificate client) {
        return build(SslContextBuilder.forServer(generated.key(), generated.cert()).trustManager(client.generated.cert()));
    }

    private static SSLContext build(SslContextBuilder server) {
        try {
            return ((JdkSslContext) server.sslProvider(SslProvider.JDK).build()).context();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        generated.delete();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
