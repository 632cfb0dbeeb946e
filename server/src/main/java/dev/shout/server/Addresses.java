package dev.shout.server;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;

/**
 * Socket addresses as the server's own log lines and messages write them: IPv4 plain, IPv6 in
 * the short form of RFC 5952 in brackets ({@code [::]:8080}, not the JDK's
 * {@code [0:0:0:0:0:0:0:0]:8080}), and a host that did not resolve as it was given. Netty's
 * own {@code Channel.toString()} keeps its format.
 */
public final class Addresses {

    private Addresses() {
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code [fe80::1]:8080} or {@code no.such.host:8080}. */
    public static String format(InetSocketAddress address) {
        return NetUtil.toSocketAddressString(address);
    }
}
