package dev.shout.server.tls;

import dev.shout.server.config.TlsConfig;
import dev.shout.server.config.TlsProvider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.EventExecutor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of TLS: the context every new connection's handshake uses, replaced in place
 * when the certificate files change, so that connections opened after a rotation get the new
 * certificate while open ones carry on with theirs, and nobody is cut.
 */
public final class ServerTls {

    /** How often the files are compared with what is served. */
    public static final long WATCH_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** What a reload did. */
    public enum Reload { RELOADED, UNCHANGED, FAILED }

    private final TlsConfig config;
    private final SslProvider provider;
    private volatile Served served;
    private String lastFailure;

    private record Served(Credentials credentials, SslContext context) {
    }

    private ServerTls(TlsConfig config, SslProvider provider, Credentials credentials) {
        this.config = config;
        this.provider = provider;
        this.served = new Served(credentials, context(credentials));
    }

    /**
     * Reads and checks the files and builds the context, or throws {@link TlsSetupException}
     * with one line saying what is wrong: the master calls it before any worker starts.
     */
    public static ServerTls start(TlsConfig config) {
        return new ServerTls(config, provider(config.provider()), Credentials.load(config, Instant.now()));
    }

    /** A handler for one new connection, with the certificate served now. */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        SslHandler handler = served.context().newHandler(allocator);
        handler.setHandshakeTimeout(config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return handler;
    }

    /**
     * Reads the files again and, if they changed (or {@code force}, for SIGUSR1), serves them to
     * new connections. Files that fail their checks leave the old certificate served, with one
     * error line; the same failure is not logged again until it changes or a reload is forced.
     */
    public synchronized Reload reload(boolean force) {
        Served next;
        try {
            Credentials credentials = Credentials.load(config, Instant.now());
            if (!force && credentials.sameFilesAs(served.credentials())) {
                lastFailure = null;
                return Reload.UNCHANGED;
            }
            next = new Served(credentials, context(credentials));
        } catch (TlsSetupException e) {
            if (force || !e.getMessage().equals(lastFailure)) {
                log.error("TLS certificate not reloaded, still serving {}: {}", served.credentials().describe(),
                        e.getMessage());
            }
            lastFailure = e.getMessage();
            return Reload.FAILED;
        }
        lastFailure = null;
        served = next;
        log.info("TLS certificate reloaded: {}", next.credentials().describe());
        return Reload.RELOADED;
    }

    /** Every {@link #WATCH_SECONDS} on {@code executor}, reloads if the files changed, then runs {@code onReloaded}. */
    public void watchFiles(EventExecutor executor, Runnable onReloaded) {
        executor.scheduleWithFixedDelay(() -> {
            if (reload(false) == Reload.RELOADED) {
                onReloaded.run();
            }
        }, WATCH_SECONDS, WATCH_SECONDS, TimeUnit.SECONDS);
    }

    /** For the start line: the provider, protocols, certificate and whether clients need one. */
    public String describe() {
        String library = provider == SslProvider.JDK ? "the JDK's" : "OpenSSL (" + OpenSsl.versionString() + ")";
        return "TLS by " + library + ", TLSv1.3 and TLSv1.2, certificate " + served.credentials().describe()
                + (config.clientCa().isPresent() ? ", client certificates required" : "");
    }

    private SslContext context(Credentials credentials) {
        try {
            SslContextBuilder builder = SslContextBuilder
                    .forServer(credentials.key(), credentials.chain().toArray(X509Certificate[]::new))
                    .sslProvider(provider)
                    .protocols(PROTOCOLS);
            if (!credentials.clientCas().isEmpty()) {
                builder.trustManager(credentials.clientCas().toArray(X509Certificate[]::new))
                        .clientAuth(ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (SSLException e) {
            throw new TlsSetupException("--tls-cert " + config.certificate() + ": cannot be served ("
                    + Objects.requireNonNullElse(e.getMessage(), e.toString()) + ")");
        }
    }

    private static SslProvider provider(TlsProvider asked) {
        return switch (asked) {
            case JDK -> SslProvider.JDK;
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new TlsSetupException("--tls-provider openssl: OpenSSL does not load here ("
                            + OpenSsl.unavailabilityCause() + "); use --tls-provider jdk");
                }
                yield SslProvider.OPENSSL;
            }
        };
    }
}
