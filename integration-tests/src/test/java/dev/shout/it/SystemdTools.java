package dev.shout.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The systemd tools the socket activation and unit tests run ({@code systemd-socket-activate},
 * {@code systemd-analyze}; Debian package {@code systemd}). Where one is missing or cannot run,
 * those tests are skipped with one line saying so, unless systemd is required
 * (-Dshout.systemd.required=true or SHOUT_SYSTEMD_REQUIRED=true, as .ci/run sets), in which
 * case they fail naming what is missing.
 */
final class SystemdTools {

    private static final Set<String> announced = new HashSet<>();

    private SystemdTools() {
    }

    /** The tool's path, found as a shell would find it; skips or fails the calling test without it. */
    static String require(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":")).map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst()
                .map(Path::toString)
                .orElseGet(() -> unavailable(tool + " not found on PATH (Debian package systemd)"));
    }

    /** Skips the calling test with one line, once per reason, or fails it where systemd is required. */
    static String unavailable(String what) {
        if (Boolean.getBoolean("shout.systemd.required") || "true".equalsIgnoreCase(System.getenv("SHOUT_SYSTEMD_REQUIRED"))) {
            throw new AssertionError(what + ": systemd tests cannot run, and systemd is required here"
                    + " (shout.systemd.required / SHOUT_SYSTEMD_REQUIRED)");
        }
        String skip = what + ": systemd tests skipped (set SHOUT_SYSTEMD_REQUIRED=true to fail instead)";
        synchronized (announced) {
            if (announced.add(what)) {
                System.err.println(skip);
            }
        }
        return Assumptions.abort(skip);
    }
}
