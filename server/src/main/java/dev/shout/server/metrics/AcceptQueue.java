package dev.shout.server.metrics;

import java.io.UncheckedIOException;

/**
 * How many connections wait in the kernel's accept queue of a listening port. Linux reports it
 * as the receive queue of the listening socket in /proc/net/tcp; it is the only place clients
 * waiting for a slot can be counted, since the server has not accepted them yet.
 */
public final class AcceptQueue {

    private AcceptQueue() {
    }

    public static long length(int port) {
        try {
            return ProcNetTcp.listening().stream()
                    .filter(socket -> socket.local().getPort() == port)
                    .mapToLong(ProcNetTcp.Row::receiveQueue)
                    .sum();
        } catch (UncheckedIOException unreadable) {
            return 0; // nothing we could see waits there
        }
    }
}
