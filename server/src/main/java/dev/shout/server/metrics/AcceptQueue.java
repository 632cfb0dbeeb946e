package dev.shout.server.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many connections wait in the kernel's accept queue of a listening port. Linux reports it
 * as the receive-queue column of the listening socket in /proc/net/tcp; it is the only place
 * clients waiting for a slot can be counted, since the server has not accepted them yet.
 */
public final class AcceptQueue {

    private static final String LISTEN = "0A";

    private AcceptQueue() {
    }

    public static long length(int port) {
        String localPort = String.format(":%04X", port);
        long waiting = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 4 && fields[1].endsWith(localPort) && fields[3].equals(LISTEN)) {
                        waiting += Long.parseLong(fields[4].substring(fields[4].indexOf(':') + 1), 16);
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // Not Linux, or no IPv6: nothing waits there that we could see.
            }
        }
        return waiting;
    }
}
