package dev.shout.server.pipeline;

import dev.shout.server.config.DurationConverter;
import dev.shout.server.config.ProxyProtocolPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections the PROXY protocol refused, by reason. Counted, not logged one by one (a scanner
 * that reaches the port from outside the balancers would otherwise flood the log): one summary
 * line a second per reason, and the totals feed {@code shout_connections_refused_total}.
 */
public final class ProxyRefusals extends ReasonCounts<ProxyRefusals.Reason> {

    private static final Logger log = LoggerFactory.getLogger(ProxyRefusals.class);

    /** Why a connection was refused; {@link #label()} names it in the metrics. */
    public enum Reason implements ReasonCounts.Reason {
        /** Its peer is not in {@code --proxy-trusted}. */
        UNTRUSTED_PROXY,
        /** It began with something that is not a PROXY header of the version configured. */
        BAD_PROXY_HEADER,
        /** Its whole header did not come within {@code --proxy-header-timeout}. */
        PROXY_HEADER_TIMEOUT
    }

    private final ProxyProtocolPolicy policy;

    /** @param policy the protocol and its timeout, quoted in the summary lines */
    public ProxyRefusals(ProxyProtocolPolicy policy) {
        super(Reason.class);
        this.policy = policy;
    }

    /** Counts one connection refused for {@code reason}; called from any event loop. */
    void refused(Reason reason) {
        count(reason);
    }

    @Override
    void report(Reason reason, long refused) {
        switch (reason) {
            case UNTRUSTED_PROXY -> log.warn("refused {} connections in the last second: not from a balancer in"
                    + " --proxy-trusted {}", refused, policy.trusted());
            case BAD_PROXY_HEADER -> log.warn("refused {} connections in the last second: no valid PROXY header"
                    + " (--proxy-protocol {})", refused, policy.protocol());
            case PROXY_HEADER_TIMEOUT -> log.warn("refused {} connections in the last second: no whole PROXY header"
                    + " within {} (--proxy-header-timeout)", refused, DurationConverter.format(policy.headerTimeout()));
        }
    }
}
