package dev.shout.client.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where connections to a loopback server come from: 127.0.0.2 to 127.0.0.254 in turn. A
 * connection is told apart by its source address and port, and there are only some 28,000
 * ephemeral ports, so from 127.0.0.1 alone a hundred thousand connections, or a few seconds of
 * churn leaving ports in TIME_WAIT, would run out; with 253 addresses they do not. Linux routes
 * the whole of 127.0.0.0/8 to the loopback interface, so nothing needs to be set up.
 */
final class SourceAddresses {

    private static final int FIRST_HOST = 2;
    private static final int HOST_COUNT = 253;

    private final InetSocketAddress[] addresses;

    private SourceAddresses(InetSocketAddress[] addresses) {
        this.addresses = addresses;
    }

    /** Spread sources for an IPv4 loopback server; for any other, the system's choice. */
    static SourceAddresses forServer(InetAddress server) {
        if (!(server instanceof Inet4Address) || !server.isLoopbackAddress()) {
            return new SourceAddresses(new InetSocketAddress[0]);
        }
        InetSocketAddress[] addresses = new InetSocketAddress[HOST_COUNT];
        for (int i = 0; i < HOST_COUNT; i++) {
            addresses[i] = new InetSocketAddress(loopback(FIRST_HOST + i), 0);
        }
        return new SourceAddresses(addresses);
    }

    boolean spread() {
        return addresses.length > 0;
    }

    /** The address a connection binds before connecting, or {@code null} to let the system pick. */
    InetSocketAddress forConnection(int connection) {
        return spread() ? addresses[Math.floorMod(connection, addresses.length)] : null;
    }

    private static InetAddress loopback(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are an IPv4 address", impossible);
        }
    }
}
