package dev.shout.server.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Whether clients reach the server through load balancers that tell their address in a PROXY
 * protocol header, and which balancers to believe. A connection from a trusted balancer must
 * begin with a header within {@code headerTimeout}; any other connection is closed at once
 * while the protocol is on, since whoever made it could name any client in a header.
 *
 * @param protocol which header versions are taken; {@link ProxyProtocol#OFF}: no header is read
 * @param trusted the balancers whose headers are believed; required when the protocol is on
 * @param headerTimeout how long a trusted connection may take to send its whole header
 */
public record ProxyProtocolPolicy(ProxyProtocol protocol, List<Cidr> trusted, Duration headerTimeout) {

    /**
     * The most balancer ranges: every connection is checked against each, and the master sends
     * them all to each worker in one frame of the link.
     */
    public static final int MAX_TRUSTED = 256;

    public ProxyProtocolPolicy {
        Objects.requireNonNull(protocol, "--proxy-protocol");
        trusted = List.copyOf(trusted);
        Checks.check(trusted.size() <= MAX_TRUSTED, "--proxy-trusted", trusted.size() + " ranges",
                "at most " + MAX_TRUSTED);
        if (protocol != ProxyProtocol.OFF && trusted.isEmpty()) {
            throw new IllegalArgumentException("--proxy-trusted: required with --proxy-protocol " + protocol);
        }
        Checks.check(protocol != ProxyProtocol.OFF || trusted.isEmpty(), "--proxy-trusted", String.join(",",
                trusted.stream().map(Cidr::toString).toList()), "only with --proxy-protocol v1, v2 or any");
        Checks.positive(headerTimeout, "--proxy-header-timeout");
    }

    public boolean enabled() {
        return protocol != ProxyProtocol.OFF;
    }

    /**
     * True if a connection from {@code peer} is a trusted balancer's: the protocol is on and
     * {@code peer} is in {@code --proxy-trusted}. Its client is unknown until its header is read.
     */
    public boolean trusts(InetAddress peer) {
        return enabled() && trusted.stream().anyMatch(cidr -> cidr.contains(peer));
    }
}
