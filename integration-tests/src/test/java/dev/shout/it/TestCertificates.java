package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test certificate authority and the certificates it signs, written as PEM files the way an
 * operator would have them: any names, any dates (expired ones too), keys in PKCS#8 or PKCS#1.
 * Made in the test, so no certificate in the repository ever expires.
 */
public final class TestCertificates {

    /**
     * How a private key is written: {@code BEGIN PRIVATE KEY}, {@code BEGIN RSA PRIVATE KEY}, or
     * {@code BEGIN ENCRYPTED PRIVATE KEY} (with the password {@code secret}).
     */
    public enum KeyFormat { PKCS8, PKCS1, PKCS8_ENCRYPTED }

    /** A certificate's PEM file and its key's. */
    public record Issued(Path certificate, Path key, X509Certificate x509) {
    }

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private static final Duration A_DAY = Duration.ofDays(1);

    private final Path dir;
    private final X500Name caName;
    private final KeyPair caKeys;
    private final Issued ca;

    private TestCertificates(Path dir, String caCommonName) {
        this.dir = dir;
        this.caName = new X500Name("CN=" + caCommonName);
        this.caKeys = newKeyPair();
        Instant now = Instant.now();
        X509Certificate caCertificate = sign(caName, caKeys, caName, caKeys.getPublic(),
                now.minus(A_DAY), now.plus(A_DAY.multipliedBy(30)), List.of(), true);
        this.ca = write(caCommonName, caCertificate, List.of(), caKeys.getPrivate(), KeyFormat.PKCS8);
    }

    /** A new authority named {@code caCommonName}, whose files go in {@code dir}. */
    public static TestCertificates authority(Path dir, String caCommonName) {
        return new TestCertificates(dir, caCommonName);
    }

    /** The authority's own certificate and key. */
    public Issued ca() {
        return ca;
    }

    /** A certificate for {@code localhost} and 127.0.0.1, valid from yesterday for a month. */
    public Issued localhost(String fileName) {
        Instant now = Instant.now();
        return issue(fileName, "localhost", now.minus(A_DAY), now.plus(A_DAY.multipliedBy(30)), KeyFormat.PKCS8);
    }

    /** A certificate signed by this authority, for {@code localhost} and 127.0.0.1, with the chain in its file. */
    public Issued issue(String fileName, String commonName, Instant notBefore, Instant notAfter, KeyFormat format) {
        KeyPair keys = newKeyPair();
        X509Certificate certificate = sign(caName, caKeys, new X500Name("CN=" + commonName), keys.getPublic(),
                notBefore, notAfter, localNames(), false);
        return write(fileName, certificate, List.of(ca.x509()), keys.getPrivate(), format);
    }

    /** A certificate for {@code localhost} signed by its own key, which no authority vouches for. */
    public Issued selfSigned(String fileName) {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        X509Certificate certificate = sign(name, keys, name, keys.getPublic(), now.minus(A_DAY),
                now.plus(A_DAY.multipliedBy(30)), localNames(), false);
        return write(fileName, certificate, List.of(), keys.getPrivate(), KeyFormat.PKCS8);
    }

    /** A certificate for another host only: {@code elsewhere.example}. */
    public Issued forOtherHost(String fileName) {
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        X509Certificate certificate = sign(caName, caKeys, new X500Name("CN=elsewhere.example"), keys.getPublic(),
                now.minus(A_DAY), now.plus(A_DAY.multipliedBy(30)),
                List.of(new GeneralName(GeneralName.dNSName, "elsewhere.example")), false);
        return write(fileName, certificate, List.of(ca.x509()), keys.getPrivate(), KeyFormat.PKCS8);
    }

    private static List<GeneralName> localNames() {
        return List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name issuer, KeyPair issuerKeys, X500Name subject,
            java.security.PublicKey subjectKey, Instant notBefore, Instant notAfter, List<GeneralName> names,
            boolean isCa) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    subject, subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Issued write(String fileName, X509Certificate certificate, List<X509Certificate> chain,
            PrivateKey key, KeyFormat format) {
        Path certificateFile = dir.resolve(fileName + ".crt");
        Path keyFile = dir.resolve(fileName + ".key");
        List<Object> certificates = new ArrayList<>();
        certificates.add(certificate);
        certificates.addAll(chain);
        writePem(certificateFile, certificates);
        writePem(keyFile, List.of(switch (format) {
            case PKCS1 -> key;
            case PKCS8 -> pkcs8(key, null);
            case PKCS8_ENCRYPTED -> pkcs8(key, encryptor());
        }));
        return new Issued(certificateFile, keyFile, certificate);
    }

    private static Object pkcs8(PrivateKey key, OutputEncryptor encryptor) {
        try {
            return new JcaPKCS8Generator(key, encryptor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OutputEncryptor encryptor() {
        try {
            return new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePem(Path file, List<Object> objects) {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                pem.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
