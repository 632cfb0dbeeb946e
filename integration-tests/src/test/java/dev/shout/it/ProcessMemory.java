package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

/** Resident memory of processes, read from /proc/PID/status as top and ps show it. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** The process's resident set (VmRSS), in bytes. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return 1024 * Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    /** The resident sets of all {@code pids} together: a master and its workers, say. */
    static long totalRssBytes(Collection<Long> pids) {
        return pids.stream().mapToLong(ProcessMemory::rssBytes).sum();
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
