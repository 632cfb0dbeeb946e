package dev.shout.server.pipeline;

import dev.shout.server.config.DurationConverter;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.config.TlsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections refused before they were served: by the PROXY protocol, or by TLS before its
 * handshake completed. Counted, not logged one by one (a scanner that reaches the port from
 * outside the balancers, or speaks plaintext to a TLS port, would otherwise flood the log): one
 * summary line a second per reason, and the totals feed {@code shout_connections_refused_total}.
 */
public final class Refusals extends ReasonCounts<Refusals.Reason> {

    private static final Logger log = LoggerFactory.getLogger(Refusals.class);

    /**
     * Why a connection was refused; {@link #label()} names it in the metrics. Workers report
     * these in this order over the link: add new ones last, and raise the link's version.
     */
    public enum Reason implements ReasonCounts.Reason {
        /** Its peer is not in {@code --proxy-trusted}. */
        UNTRUSTED_PROXY,
        /** It began with something that is not a PROXY header of the version configured. */
        BAD_PROXY_HEADER,
        /** Its whole header did not come within {@code --proxy-header-timeout}. */
        PROXY_HEADER_TIMEOUT,
        /** It spoke something other than TLS to a TLS port, plaintext most often. */
        NOT_TLS,
        /** Its TLS handshake failed: no protocol or cipher in common, a client certificate missing or not trusted. */
        TLS_HANDSHAKE_FAILED,
        /** Its TLS handshake did not finish within {@code --tls-handshake-timeout}. */
        TLS_HANDSHAKE_TIMEOUT
    }

    private final ProxyProtocolPolicy proxy;
    private final Duration handshakeTimeout;

    /** @param proxy the protocol and its timeout, and {@code tls} the handshake timeout: quoted in the summary lines */
    public Refusals(ProxyProtocolPolicy proxy, Optional<TlsConfig> tls) {
        super(Reason.class);
        this.proxy = proxy;
        this.handshakeTimeout = tls.map(TlsConfig::handshakeTimeout).orElse(Duration.ZERO);
    }

    /** Counts one connection refused for {@code reason}; called from any event loop. */
    void refused(Reason reason) {
        count(reason);
    }

    /** The totals in the order of {@link Reason}, as a worker reports them to its master. */
    public List<Long> totalsInOrder() {
        List<Long> totals = new ArrayList<>();
        for (Reason reason : Reason.values()) {
            totals.add(total(reason));
        }
        return totals;
    }

    @Override
    void report(Reason reason, long refused) {
        switch (reason) {
            case UNTRUSTED_PROXY -> log.warn("refused {} connections in the last second: not from a balancer in"
                    + " --proxy-trusted {}", refused, proxy.trusted());
            case BAD_PROXY_HEADER -> log.warn("refused {} connections in the last second: no valid PROXY header"
                    + " (--proxy-protocol {})", refused, proxy.protocol());
            case PROXY_HEADER_TIMEOUT -> log.warn("refused {} connections in the last second: no whole PROXY header"
                    + " within {} (--proxy-header-timeout)", refused, DurationConverter.format(proxy.headerTimeout()));
            case NOT_TLS -> log.warn("refused {} connections in the last second: not TLS (plaintext to a TLS port?)",
                    refused);
            case TLS_HANDSHAKE_FAILED -> log.warn("refused {} connections in the last second: TLS handshake failed",
                    refused);
            case TLS_HANDSHAKE_TIMEOUT -> log.warn("refused {} connections in the last second: no TLS handshake within"
                    + " {} (--tls-handshake-timeout)", refused, DurationConverter.format(handshakeTimeout));
        }
    }
}
