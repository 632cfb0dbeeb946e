package dev.shout.it;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * PROXY protocol headers written byte by byte as a balancer writes them (HAProxy's
 * proxy-protocol.txt), independently of the server's decoder: v1's text line and v2's binary
 * block, for a client at an IPv4 or IPv6 address, and v2's LOCAL health check.
 */
final class ProxyHeaders {

    /** v2's signature: CR LF CR LF NUL CR LF "QUIT" LF. */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte V2_PROXY = 0x21;
    private static final byte V2_LOCAL = 0x20;
    private static final byte TCP_OVER_IPV4 = 0x11;
    private static final byte TCP_OVER_IPV6 = 0x21;
    private static final byte UNSPECIFIED = 0x00;

    private ProxyHeaders() {
    }

    /** {@code PROXY TCP4 203.0.113.7 127.0.0.1 40000 8080\r\n}, or TCP6 for an IPv6 {@code client}. */
    static byte[] v1(String client, int clientPort, int serverPort) {
        boolean ipv6 = address(client).getAddress().length == 16;
        return String.format("PROXY %s %s %s %d %d\r\n", ipv6 ? "TCP6" : "TCP4", client, ipv6 ? "::1" : "127.0.0.1",
                clientPort, serverPort).getBytes(US_ASCII);
    }

    /** A v2 PROXY command over TCP from {@code client} to the loopback address of its family. */
    static byte[] v2(String client, int clientPort, int serverPort) {
        byte[] source = address(client).getAddress();
        byte[] destination = address(source.length == 16 ? "::1" : "127.0.0.1").getAddress();
        int length = 2 * source.length + 4;
        return ByteBuffer.allocate(V2_SIGNATURE.length + 4 + length)
                .put(V2_SIGNATURE).put(V2_PROXY).put(source.length == 16 ? TCP_OVER_IPV6 : TCP_OVER_IPV4)
                .putShort((short) length).put(source).put(destination)
                .putShort((short) clientPort).putShort((short) serverPort)
                .array();
    }

    /** A v2 LOCAL command: the balancer's own connection, a health check. */
    static byte[] v2Local() {
        return ByteBuffer.allocate(V2_SIGNATURE.length + 4)
                .put(V2_SIGNATURE).put(V2_LOCAL).put(UNSPECIFIED).putShort((short) 0)
                .array();
    }

    /** The header {@code --proxy-protocol version} takes: v1 for v1, v2 for v2 and any. */
    static byte[] forVersion(String version, String client, int clientPort, int serverPort) {
        return version.equals("v1") ? v1(client, clientPort, serverPort) : v2(client, clientPort, serverPort);
    }

    /** An address literal: never looked up. */
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal + " is not an address literal", e);
        }
    }
}
