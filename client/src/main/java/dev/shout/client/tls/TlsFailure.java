package dev.shout.client.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.net.ssl.SSLException;
import javax.security.auth.x500.X500Principal;

/**
 * Says in a few words why TLS failed, from what the JDK or Netty threw: their messages ("PKIX path
 * building failed: ...SunCertPathBuilderException: unable to find valid certification path to
 * requested target") tell a user little. Each phrase names what the user can act on. Exceptions
 * are told apart by type where the JDK has one; the host name check, the alerts a server sends and
 * a peer that is not TLS are known by their messages alone, in the JDK's and BoringSSL's words.
 */
public final class TlsFailure {

    public static final String NOT_TLS = "server did not answer TLS (is it started with --tls-cert?)";
    static final String NOT_TRUSTED =
            "certificate not trusted (self-signed or unknown authority; --ca FILE names one to trust)";
    static final String CLIENT_CERTIFICATE_REQUIRED =
            "server requires a client certificate from an authority it trusts (--cert FILE --key FILE)";
    static final String TIMED_OUT = "no answer to the TLS handshake in time (is the server started with --tls-cert?)";
    static final String CLOSED = "server closed the connection during the TLS handshake";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    /** {@code Received fatal alert: bad_certificate} (JDK), {@code ...:TLSV1_ALERT_UNKNOWN_CA} (BoringSSL). */
    private static final Pattern ALERT =
            Pattern.compile("Received fatal alert: (\\w+)|(?:SSLV3|TLSV1)_ALERT_(\\w+)", Pattern.CASE_INSENSITIVE);
    /** What a server says of a client certificate it does not take. */
    private static final Set<String> CLIENT_CERTIFICATE_ALERTS = Set.of("bad_certificate", "unsupported_certificate",
            "certificate_revoked", "certificate_expired", "certificate_unknown", "unknown_ca", "access_denied",
            "decrypt_error");
    /**
     * The JDK's host name check, for DNS names and addresses: {@code No subject alternative DNS name
     * matching localhost found.}, {@code No subject alternative names matching IP address ...},
     * {@code No subject alternative names present}, {@code No name matching ... found}.
     */
    private static final Pattern HOST_MISMATCH = Pattern.compile("^No (subject alternative|name matching)");
    /**
     * Bytes that are no TLS record: the JDK's words, and its words for a server that echoed the
     * client's own hello back (a plaintext shout server does), BoringSSL's, and Netty's exception.
     */
    private static final Pattern NOT_TLS_MESSAGE = Pattern.compile(
            "Unsupported or unrecognized SSL message|Unexpected handshake message: client_hello"
                    + "|WRONG_VERSION_NUMBER|UNEXPECTED_RECORD|UNEXPECTED_MESSAGE|HTTP_REQUEST|EXCESSIVE_MESSAGE_SIZE");
    /** BoringSSL's {@code error:100000df:SSL routines:OPENSSL_internal:UNEXPECTED_MESSAGE}: its reason is the end. */
    private static final Pattern OPENSSL_ERROR = Pattern.compile("^error:\\p{XDigit}+:[^:]*:[^:]*:(\\w+)");
    private static final Pattern CLOSED_MESSAGE = Pattern.compile(
            "Remote host terminated the handshake|closed while SSL/TLS handshake was in progress");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final int MAX_CAUSES = 32;

    private TlsFailure() {
    }

    /**
     * Why TLS failed, if {@code failure} is a TLS failure; empty for any other. A server's refusal
     * of a client certificate is said as a refusal of one or of none: which, the caller did not say.
     */
    public static Optional<String> describe(Throwable failure) {
        return describe(failure, Optional.empty());
    }

    /**
     * Like {@link #describe(Throwable)}, for a client that knows whether it showed a certificate:
     * a server refusing a client that showed none wants one, whatever its alert says (the JDK's
     * says {@code bad_certificate}).
     */
    public static Optional<String> describe(Throwable failure, boolean clientCertificateShown) {
        return describe(failure, Optional.of(clientCertificateShown));
    }

    private static Optional<String> describe(Throwable failure, Optional<Boolean> clientCertificateShown) {
        List<Throwable> causes = causes(failure);
        if (causes.stream().noneMatch(cause -> cause instanceof SSLException || cause instanceof CertificateException)) {
            return Optional.empty();
        }
        return Optional.of(reason(causes, clientCertificateShown));
    }

    private static String reason(List<Throwable> causes, Optional<Boolean> clientCertificateShown) {
        Optional<RefusedCertificate> refused = first(causes, RefusedCertificate.class);
        Optional<CertPathValidatorException> invalid = first(causes, CertPathValidatorException.class);
        if (invalid.map(e -> e.getReason() == BasicReason.EXPIRED).orElse(false)
                || first(causes, CertificateExpiredException.class).isPresent()) {
            return invalidCertificate(invalid, refused).map(certificate -> describe(certificate, refused)
                    + " expired on " + DAY.format(certificate.getNotAfter().toInstant())).orElse("certificate expired");
        }
        if (invalid.map(e -> e.getReason() == BasicReason.NOT_YET_VALID).orElse(false)
                || first(causes, CertificateNotYetValidException.class).isPresent()) {
            return invalidCertificate(invalid, refused).map(certificate -> describe(certificate, refused)
                    + " not valid until " + DAY.format(certificate.getNotBefore().toInstant()))
                    .orElse("certificate not valid yet");
        }
        if (causes.stream().anyMatch(cause -> cause instanceof CertificateException
                && cause.getMessage() != null && HOST_MISMATCH.matcher(cause.getMessage()).find())) {
            return hostMismatch(refused);
        }
        if (first(causes, CertPathBuilderException.class).isPresent()
                || invalid.map(e -> e.getReason() == PKIXReason.NO_TRUST_ANCHOR).orElse(false)) {
            return NOT_TRUSTED;
        }
        if (invalid.isPresent()) {
            return "certificate refused: " + invalid.get().getReason().toString().toLowerCase(Locale.ROOT)
                    .replace('_', ' ');
        }
        return handshakeReason(causes, clientCertificateShown);
    }

    /** Failures that are not about the server's certificate. */
    private static String handshakeReason(List<Throwable> causes, Optional<Boolean> clientCertificateShown) {
        Optional<String> alert = messages(causes).map(ALERT::matcher).filter(Matcher::find)
                .map(m -> (m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT)).findFirst();
        if (alert.isPresent()) {
            return alertReason(alert.get(), clientCertificateShown);
        }
        if (first(causes, NotSslRecordException.class).isPresent()
                || messages(causes).anyMatch(message -> NOT_TLS_MESSAGE.matcher(message).find())) {
            return NOT_TLS;
        }
        if (first(causes, SslHandshakeTimeoutException.class).isPresent()
                || first(causes, SocketTimeoutException.class).isPresent()) {
            return TIMED_OUT;
        }
        if (messages(causes).anyMatch(message -> CLOSED_MESSAGE.matcher(message).find())) {
            return CLOSED;
        }
        String message = messages(causes).findFirst().orElse(causes.get(0).getClass().getSimpleName());
        Matcher openSsl = OPENSSL_ERROR.matcher(message);
        if (openSsl.find()) {
            return "TLS failed: " + openSsl.group(1).toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        return "TLS failed: " + message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    private static String alertReason(String alert, Optional<Boolean> clientCertificateShown) {
        if (!CLIENT_CERTIFICATE_ALERTS.contains(alert) && !alert.equals("certificate_required")) {
            return "server refused the TLS handshake (alert: " + alert + ")";
        }
        if (alert.equals("certificate_required") || clientCertificateShown.equals(Optional.of(false))) {
            return CLIENT_CERTIFICATE_REQUIRED;
        }
        return (clientCertificateShown.isPresent() ? "server refused the client certificate"
                : "server refused the client certificate, or wants one") + " (alert: " + alert + ")";
    }

    /** The certificate whose dates are wrong: the one the validator names, or else the server's own. */
    private static Optional<X509Certificate> invalidCertificate(Optional<CertPathValidatorException> invalid,
            Optional<RefusedCertificate> refused) {
        Optional<X509Certificate> named = invalid.filter(e -> e.getCertPath() != null && e.getIndex() >= 0
                        && e.getIndex() < e.getCertPath().getCertificates().size())
                .map(e -> e.getCertPath().getCertificates().get(e.getIndex()))
                .filter(X509Certificate.class::isInstance)
                .map(X509Certificate.class::cast);
        return named.isPresent() ? named : refused.map(RefusedCertificate::leaf);
    }

    /** "certificate" for the server's own, "issuer's certificate (CN=...)" for one up its chain. */
    private static String describe(X509Certificate certificate, Optional<RefusedCertificate> refused) {
        boolean leaf = refused.map(r -> r.leaf().equals(certificate)).orElse(true);
        return leaf ? "certificate" : "issuer's certificate ("
                + certificate.getSubjectX500Principal().getName(X500Principal.RFC2253) + ")";
    }

    private static String hostMismatch(Optional<RefusedCertificate> refused) {
        String host = refused.map(RefusedCertificate::peerHost).orElse(null);
        String names = refused.map(r -> names(r.leaf())).filter(n -> !n.isEmpty()).orElse(null);
        if (names == null) {
            return "certificate is not for " + (host == null ? "this host" : host);
        }
        return "certificate is for " + names + (host == null ? "" : ", not " + host);
    }

    /** The DNS names and addresses the certificate is for, or its common name where it lists none. */
    private static String names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    Object type = alternative.get(0);
                    if (type instanceof Integer kind && (kind == SAN_DNS || kind == SAN_IP)) {
                        names.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException unreadable) {
            // Fall back on the common name.
        }
        if (names.isEmpty()) {
            commonName(certificate).ifPresent(names::add);
        }
        return names.stream().collect(Collectors.joining(", "));
    }

    private static Optional<String> commonName(X509Certificate certificate) {
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns()
                    .stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(rdn -> String.valueOf(rdn.getValue()))
                    .reduce((first, last) -> last);
        } catch (InvalidNameException unreadable) {
            return Optional.empty();
        }
    }

    private static Stream<String> messages(List<Throwable> causes) {
        return causes.stream().map(Throwable::getMessage).filter(message -> message != null && !message.isEmpty());
    }

    private static <T extends Throwable> Optional<T> first(List<Throwable> causes, Class<T> type) {
        return causes.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** {@code failure} and its causes, outermost first; a cycle of causes ends the list. */
    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = failure; cause != null && causes.size() < MAX_CAUSES && !causes.contains(cause);
                cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }
}
