package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Loopback ports free now, for a process that must be told its port (it cannot take port 0),
 * below the kernel's ephemeral range: there, no connect and no bind to port 0, which is what
 * every other test does, can take one before that process binds it.
 */
final class FreePorts {

    private FreePorts() {
    }

    static int one() {
        return below(1).get(0);
    }

    static List<Integer> below(int count) {
        int ephemeralLow = ephemeralRangeStart();
        Random random = new Random();
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < count) {
            int port = 1024 + random.nextInt(ephemeralLow - 1024);
            if (!ports.contains(port) && isFree(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static int ephemeralRangeStart() {
        try {
            // Not Files.readString: of a sysctl file, whose size reads as 0, it returns the first byte alone.
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                    .trim().split("\\s+")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
