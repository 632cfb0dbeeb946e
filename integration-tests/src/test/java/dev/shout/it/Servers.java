package dev.shout.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The servers a test class shares: one per mode and set of flags, started when a test first
 * asks for it. After the class each is stopped and checked for leaks
 * ({@link LeakCheckedServer#stopAndAssertNoLeaks}); whatever fails, none is left running.
 * Register as a static field with {@code @RegisterExtension}.
 */
final class Servers implements AfterAllCallback {

    private final String name;
    private final List<String> jvmOptions;
    private final List<String> commonFlags;
    private final Map<String, LeakCheckedServer> started = new LinkedHashMap<>();

    /**
     * @param name names the servers' log files
     * @param jvmOptions for the JVM started, besides leak detection (workers take theirs from a flag)
     * @param commonFlags given to every server
     */
    Servers(String name, List<String> jvmOptions, String... commonFlags) {
        this.name = name;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.commonFlags = List.of(commonFlags);
    }

    Servers(String name, String... commonFlags) {
        this(name, List.of(), commonFlags);
    }

    /** The server for {@code mode} with the common flags and {@code flags}, started on first use. */
    synchronized LeakCheckedServer get(ServerMode mode, String... flags) {
        List<String> all = new ArrayList<>(commonFlags);
        all.addAll(List.of(flags));
        String logName = (name + " " + String.join(" ", all)).replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("-$", "");
        return started.computeIfAbsent(mode + " " + all, key -> LeakCheckedServer.start(logName, mode, jvmOptions, all));
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        Throwable failed = null;
        for (LeakCheckedServer server : started.values()) {
            try (server) {
                server.stopAndAssertNoLeaks();
            } catch (Exception | AssertionError e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (failed instanceof Exception exception) {
            throw exception;
        } else if (failed != null) {
            throw (AssertionError) failed;
        }
    }
}
