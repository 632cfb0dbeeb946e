package dev.shout.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/** The server could not listen where it was asked to; the message is the one line a user sees. */
public final class ServerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServerStartException(InetSocketAddress address, Throwable cause) {
        super("cannot listen on " + Addresses.format(address) + ": " + reason(address, cause), cause);
    }

    /** The server cannot serve a socket it was given rather than bound: the message says which and why. */
    public ServerStartException(String message) {
        super(message);
    }

    /**
     * The address a server listens on, as its start line gives it: the host as configured (a
     * dual-stack socket would show {@code 0.0.0.0} as {@code [::]}) and the port actually bound
     * (for {@code --port 0}).
     */
    public static String listening(String host, SocketAddress bound) {
        return Addresses.format(new InetSocketAddress(host, ((InetSocketAddress) bound).getPort()));
    }

    private static String reason(InetSocketAddress address, Throwable cause) {
        if (address.isUnresolved()) {
            // The bind fails with an UnresolvedAddressException, which has no message.
            return "unknown host";
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Netty's native transport prefixes the errno text: "bind(..) failed with error(-98): ".
        return message.substring(message.lastIndexOf(": ") + 1).trim().toLowerCase(Locale.ROOT);
    }
}
