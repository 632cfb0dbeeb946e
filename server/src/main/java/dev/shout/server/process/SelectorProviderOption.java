package dev.shout.server.process;

import java.nio.channels.spi.SelectorProvider;
import java.util.Optional;

/**
 * Names, for a worker, the JDK's own selector provider that the master uses. A JVM given its name
 * ({@code -Djava.nio.channels.spi.SelectorProvider}) does not search its class path for another
 * one, which is the only reason a worker opens the jar during its start: reading the index of
 * its 12,800 entries took about 25 ms of each start (docs/BENCHMARKS.md). A worker runs the
 * master's JDK, so the class is there. A provider from the class path is not named: the worker
 * finds it as the master did.
 */
final class SelectorProviderOption {

    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";

    private SelectorProviderOption() {
    }

    /** The option naming {@code provider}, if it is the JDK's own; a later {@code -D} of the same property wins. */
    static Optional<String> of(SelectorProvider provider) {
        Class<?> type = provider.getClass();
        return type.getClassLoader() == null ? Optional.of("-D" + PROPERTY + "=" + type.getName()) : Optional.empty();
    }
}
