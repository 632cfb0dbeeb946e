package dev.shout.it.fleet;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What a group of tests needs from the machine: programs, and root for network namespaces.
 * Where something is missing the tests are skipped with one line saying what, unless an
 * environment variable requires them (as {@code .ci/run} does), in which case they fail.
 */
enum Tools {

    /** The fleet: network namespaces ({@code ip netns}, as root) and HAProxy in front. */
    FLEET("fleet tests", "SHOUT_FLEET_REQUIRED", true, "ip", "haproxy"),
    /** A real Prometheus and its promtool, besides the fleet it watches. */
    PROMETHEUS("Prometheus test", "SHOUT_PROMETHEUS_REQUIRED", false, "prometheus", "promtool");

    /** Where Debian puts system programs, which a user's PATH may lack. */
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin");
    private static final Set<Tools> ANNOUNCED = new HashSet<>();

    private final String tests;
    private final String requiredBy;
    private final boolean needsRoot;
    private final List<String> programs;

    Tools(String tests, String requiredBy, boolean needsRoot, String... programs) {
        this.tests = tests;
        this.requiredBy = requiredBy;
        this.needsRoot = needsRoot;
        this.programs = List.of(programs);
    }

    /** The program's path, on PATH or in a system directory; fails if it is not there. */
    static String path(String program) {
        return find(program).orElseThrow(() -> new AssertionError(program + " not found")).toString();
    }

    /** Skips or fails the calling tests unless everything they need is here. */
    void require() {
        List<String> missing = new ArrayList<>();
        programs.stream().filter(program -> find(program).isEmpty()).forEach(missing::add);
        if (needsRoot && !ProcessHandle.current().info().user().orElse("").equals("root")) {
            missing.add("root (for ip netns)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String what = tests + " need " + String.join(", ", missing);
        if ("true".equalsIgnoreCase(System.getenv(requiredBy))) {
            throw new AssertionError(what + ", and " + requiredBy + "=true requires them here");
        }
        String skip = what + ": skipped (set " + requiredBy + "=true to fail instead)";
        synchronized (ANNOUNCED) {
            if (ANNOUNCED.add(this)) {
                System.err.println(skip);
            }
        }
        Assumptions.abort(skip);
    }

    private static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), SYSTEM_DIRECTORIES.stream())
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
