package dev.shout.server.tls;

import dev.shout.server.config.TlsConfig;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * The server's certificate chain and key, and the authorities of client certificates, read from
 * their files and checked as the TLS libraries do not: that the key is the certificate's, and
 * that no certificate of the chain has expired or is not valid yet. Netty would serve a key that
 * matches nothing, and every client would then fail its handshake with an obscure error.
 *
 * @param fingerprint a digest of the files' bytes, to tell whether they changed
 */
public record Credentials(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas,
        byte[] fingerprint) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC);

    public Credentials {
        chain = List.copyOf(chain);
        clientCas = List.copyOf(clientCas);
        fingerprint = fingerprint.clone();
    }

    /** Reads and checks the files {@code config} names, as of {@code now}. */
    public static Credentials load(TlsConfig config, Instant now) {
        byte[] certificatePem = PemFiles.read("--tls-cert", config.certificate());
        byte[] keyPem = PemFiles.read("--tls-key", config.key());
        byte[] caPem = config.clientCa().map(file -> PemFiles.read("--tls-client-ca", file)).orElse(new byte[0]);
        List<X509Certificate> chain = PemFiles.certificates("--tls-cert", config.certificate(), certificatePem);
        PrivateKey key = PemFiles.privateKey("--tls-key", config.key(), keyPem);
        List<X509Certificate> clientCas = config.clientCa()
                .map(file -> PemFiles.certificates("--tls-client-ca", file, caPem)).orElse(List.of());
        for (X509Certificate certificate : chain) {
            checkValidity("--tls-cert", config.certificate(), certificate, now);
        }
        checkKeyMatches(config, chain.get(0).getPublicKey(), key);
        return new Credentials(chain, key, clientCas, digest(certificatePem, keyPem, caPem));
    }

    /** True if the files these came from held the same bytes as {@code other}'s. */
    public boolean sameFilesAs(Credentials other) {
        return Arrays.equals(fingerprint, other.fingerprint);
    }

    /** The served certificate, for log lines: its subject and when it expires. */
    public String describe() {
        X509Certificate leaf = chain.get(0);
        return leaf.getSubjectX500Principal().getName() + ", expires " + DATE.format(leaf.getNotAfter().toInstant())
                + " UTC";
    }

    private static void checkValidity(String flag, Path file, X509Certificate certificate, Instant now) {
        String subject = certificate.getSubjectX500Principal().getName();
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new TlsSetupException(flag + " " + file + ": the certificate " + subject + " expired on "
                    + DATE.format(certificate.getNotAfter().toInstant()) + " UTC");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new TlsSetupException(flag + " " + file + ": the certificate " + subject + " is not valid until "
                    + DATE.format(certificate.getNotBefore().toInstant()) + " UTC");
        }
    }

    /** Signs random bytes with the key and verifies them with the certificate's public key. */
    private static void checkKeyMatches(TlsConfig config, PublicKey certificateKey, PrivateKey key) {
        String mismatch = "--tls-key " + config.key() + ": not the key of the certificate in " + config.certificate();
        if (!certificateKey.getAlgorithm().equals(key.getAlgorithm())) {
            throw new TlsSetupException(mismatch + " (a " + key.getAlgorithm() + " key, a "
                    + certificateKey.getAlgorithm() + " certificate)");
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new TlsSetupException("--tls-key " + config.key() + ": a " + key.getAlgorithm()
                    + " key (expected: RSA, EC or EdDSA)");
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new TlsSetupException(mismatch);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(mismatch + " (" + e.getMessage() + ")");
        }
    }

    private static byte[] digest(byte[]... files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] file : files) {
                digest.update(file);
                digest.update((byte) 0);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
