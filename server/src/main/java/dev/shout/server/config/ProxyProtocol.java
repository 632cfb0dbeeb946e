package dev.shout.server.config;

import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import java.util.Locale;

/** {@code --proxy-protocol}: which PROXY protocol header a trusted balancer's connection must begin with. */
public enum ProxyProtocol {
    OFF,
    V1,
    V2,
    ANY;

    /**
     * True if a header of {@code version} is one this setting takes. Netty's decoder reads either
     * version whatever was asked for, so this is the check that holds a balancer to its setting.
     */
    public boolean accepts(HAProxyProtocolVersion version) {
        return switch (this) {
            case OFF -> false;
            case V1 -> version == HAProxyProtocolVersion.V1;
            case V2 -> version == HAProxyProtocolVersion.V2;
            case ANY -> true;
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
