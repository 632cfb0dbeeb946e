package dev.shout.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM files an operator names: certificates, and a private key in PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1 ({@code BEGIN EC
 * PRIVATE KEY}) form. BouncyCastle's PEM reader, because the JDK reads none of these itself.
 * Every failure is a {@link TlsSetupException} naming the flag and the file.
 */
final class PemFiles {

    private PemFiles() {
    }

    /** The bytes of {@code file}, read once, so that what is parsed is what was compared. */
    static byte[] read(String flag, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(flag + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new TlsSetupException(flag + " " + file + ": permission denied");
        } catch (IOException e) {
            throw new TlsSetupException(flag + " " + file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Every certificate in {@code pem}, in order; at least one. */
    static List<X509Certificate> certificates(String flag, Path file, byte[] pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects(flag, file, pem)) {
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new TlsSetupException(flag + " " + file + ": holds something other than certificates");
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new TlsSetupException(flag + " " + file + ": a malformed certificate (" + e.getMessage() + ")");
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsSetupException(flag + " " + file + ": no PEM certificate in it");
        }
        return certificates;
    }

    /**
     * The one private key in {@code pem}; certificates beside it are passed over, as in the
     * combined files some balancers use.
     */
    static PrivateKey privateKey(String flag, Path file, byte[] pem) {
        List<Object> keys = objects(flag, file, pem).stream().filter(PemFiles::isKey).toList();
        if (keys.size() != 1) {
            throw new TlsSetupException(flag + " " + file + ": " + (keys.isEmpty() ? "holds no private key"
                    : keys.size() + " private keys in it (expected: one)"));
        }
        Object key = keys.get(0);
        if (key instanceof PEMEncryptedKeyPair || key instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new TlsSetupException(flag + " " + file + ": the key is encrypted; give it decrypted"
                    + " (openssl pkey -in FILE -out KEY), readable by the server's user only");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            return key instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((PrivateKeyInfo) key);
        } catch (IOException e) {
            throw new TlsSetupException(flag + " " + file + ": a malformed private key (" + e.getMessage() + ")");
        }
    }

    private static boolean isKey(Object object) {
        return object instanceof PEMKeyPair || object instanceof PrivateKeyInfo
                || object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    private static List<Object> objects(String flag, Path file, byte[] pem) {
        List<Object> objects = new ArrayList<>();
        try (Reader text = new StringReader(new String(pem, StandardCharsets.US_ASCII));
                PEMParser parser = new PEMParser(text)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsSetupException(flag + " " + file + ": not valid PEM (" + oneLine(e.getMessage()) + ")");
        }
        return objects;
    }

    private static String oneLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }
}
