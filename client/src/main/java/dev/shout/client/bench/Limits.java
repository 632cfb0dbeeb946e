package dev.shout.client.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The operating system's limits on how many connections one process can open: file descriptors
 * ({@code ulimit -n}) and local ports. Told as one line each, before a run that cannot fit and
 * when a run hits them, because a stack trace full of "Too many open files" helps nobody.
 */
final class Limits {

    /** Descriptors the JVM and Netty open besides the connections: jars, epoll and event fds. */
    private static final int RESERVED_DESCRIPTORS = 64;
    private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final String EMFILE = "too many open files";
    private static final String EADDRNOTAVAIL = "cannot assign requested address";

    private Limits() {
    }

    /**
     * Why {@code connections} cannot all be open at once, if that is plain before starting.
     *
     * @param spreadOverSources whether the connections come from many source addresses, each
     *                          with a port range of its own
     */
    static Optional<String> preflight(int connections, boolean spreadOverSources) {
        OptionalLong maxDescriptors = maxDescriptors();
        long needed = connections + openDescriptors() + RESERVED_DESCRIPTORS;
        if (maxDescriptors.isPresent() && needed > maxDescriptors.getAsLong()) {
            return Optional.of("--connections " + connections + " needs about " + needed
                    + " file descriptors, but this process may open " + maxDescriptors.getAsLong()
                    + " (ulimit -n); raise the limit or lower --connections");
        }
        Optional<long[]> ports = portRange();
        if (!spreadOverSources && ports.isPresent() && connections > portCount(ports.get())) {
            return Optional.of("--connections " + connections + " exceeds the " + portCount(ports.get())
                    + " local ports (" + describe(ports.get()) + ") that connections to one server can use");
        }
        return Optional.empty();
    }

    /** Why the run cannot go on, when {@code cause} is a process or system limit being reached. */
    static Optional<String> reachedBy(Throwable cause, int openConnections) {
        // Netty wraps the system's error; only the innermost one says it plainly.
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String reason = Reasons.describe(root);
        if (reason.contains(EMFILE)) {
            return Optional.of("out of file descriptors with " + openConnections + " connections open ("
                    + reason + ", limit " + describeMaxDescriptors() + "); raise it with ulimit -n");
        }
        if (reason.contains(EADDRNOTAVAIL)) {
            return Optional.of("out of local ports with " + openConnections + " connections open ("
                    + reason + ", local port range " + portRange().map(Limits::describe).orElse("unknown") + ")");
        }
        return Optional.empty();
    }

    private static OptionalLong maxDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix
                ? OptionalLong.of(unix.getMaxFileDescriptorCount())
                : OptionalLong.empty();
    }

    private static String describeMaxDescriptors() {
        OptionalLong max = maxDescriptors();
        return max.isPresent() ? String.valueOf(max.getAsLong()) : "unknown";
    }

    private static long openDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : 0;
    }

    /** The first and last ephemeral port, where Linux says. */
    private static Optional<long[]> portRange() {
        try {
            String[] bounds = Files.readString(PORT_RANGE).trim().split("\\s+");
            return Optional.of(new long[] {Long.parseLong(bounds[0]), Long.parseLong(bounds[1])});
        } catch (IOException | RuntimeException notLinux) {
            return Optional.empty();
        }
    }

    private static long portCount(long[] range) {
        return range[1] - range[0] + 1;
    }

    private static String describe(long[] range) {
        return range[0] + "-" + range[1];
    }
}
