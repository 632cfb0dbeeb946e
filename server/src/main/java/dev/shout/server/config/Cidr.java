package dev.shout.server.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A block of addresses, IPv4 or IPv6, as {@code --proxy-trusted} names the balancers it trusts:
 * {@code 10.0.0.0/8}, {@code fd00::/8}, or a bare address for itself alone. Parsing never looks
 * a name up: only address literals are taken.
 *
 * @param network the block's first address: no bit set past the prefix
 * @param prefixLength the bits every address of the block shares with {@code network}
 */
public record Cidr(InetAddress network, int prefixLength) {

    private static final String FLAG = "--proxy-trusted";
    private static final String EXPECTED = "a CIDR like 10.0.0.0/8 or fd00::/8";

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        Checks.check(prefixLength >= 0 && prefixLength <= bits, FLAG, format(network, prefixLength), EXPECTED);
        Checks.check(masked(network.getAddress(), prefixLength).equals(network), FLAG,
                format(network, prefixLength), "no bits set past the prefix, like "
                        + format(masked(network.getAddress(), prefixLength), prefixLength));
    }

    /** Reads {@code 10.0.0.0/8}, {@code fd00::/8}, {@code 192.0.2.1} (/32) or {@code ::1} (/128). */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        Checks.check(bytes != null, FLAG, text, EXPECTED);
        int prefixLength = bytes.length * 8;
        if (slash >= 0) {
            String prefix = trimmed.substring(slash + 1);
            Checks.check(prefix.matches("\\d{1,3}"), FLAG, text, EXPECTED);
            prefixLength = Integer.parseInt(prefix);
            Checks.check(prefixLength <= bytes.length * 8, FLAG, text, EXPECTED);
        }
        return new Cidr(address(bytes), prefixLength);
    }

    /** True if {@code address} is in this block; an address of the other family never is. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.getAddress().length && masked(bytes, prefixLength).equals(network);
    }

    @Override
    public String toString() {
        return format(network, prefixLength);
    }

    private static InetAddress masked(byte[] bytes, int prefixLength) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsHere = Math.min(8, Math.max(0, prefixLength - 8 * i));
            masked[i] &= (byte) (0xFF << (8 - bitsHere));
        }
        return address(masked);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("4 or 16 bytes are always an address", impossible);
        }
    }

    private static String format(InetAddress network, int prefixLength) {
        return NetUtil.toAddressString(network) + "/" + prefixLength;
    }
}
