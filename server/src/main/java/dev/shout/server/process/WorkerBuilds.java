package dev.shout.server.process;

import dev.shout.server.BuildVersion;
import dev.shout.server.process.supervision.ChildProcess;
import dev.shout.server.process.supervision.Supervisor;
import dev.shout.server.process.supervision.Trial;
import dev.shout.server.process.supervision.WorkerHandle;
import dev.shout.server.process.supervision.WorkerLauncher;
import dev.shout.server.transport.ProcessIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The builds workers start from (issue #11, upgrade in place): the jar the master pinned at
 * start, and the next one. A SIGHUP that finds another file at the path the master was started
 * from pins it too, tries it on one replacement worker, and only once that worker has linked and
 * spoken this master's link protocol do other workers start from it; otherwise the roll stops,
 * the old workers serve on, and crash respawns and recycles still start the old build. How each
 * new jar fared is counted in {@link Upgrades}.
 *
 * <p>Two directories take turns, the master's private directory and {@value #NEXT} in it: a new
 * jar is pinned in the one workers do not start from, and becomes theirs, with no second copy,
 * once its trial passes. A pin renames over what the other directory held, which workers still
 * running from it keep open. The master's own code is not upgraded: it runs the build it started
 * with until it is restarted. Touched on the master's event loop, but for the copy of a new jar.
 */
final class WorkerBuilds implements WorkerLauncher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerBuilds.class);
    /** The second directory's name, in the private directory. */
    static final String NEXT = "next";

    /** The jar the master was started from, where a new one is renamed over it; empty when run from classes. */
    private final Optional<Path> source;
    private final Path nextDirectory;
    private final Executor loop;
    private final Upgrades upgrades = new Upgrades();
    private Build serving;
    private Build spare;
    /** A new jar is being copied, off the loop: a SIGHUP now is refused as one during a roll. */
    private boolean pinning;

    /**
     * Pins {@code source}, if there is one, in {@code directory}.
     *
     * @param launcherOf the launcher of workers from a directory's pinned jar
     * @param loop the master's event loop, where a new jar's trial begins once it is pinned
     */
    WorkerBuilds(Path directory, Optional<Path> source, Function<PinnedJar, WorkerLauncher> launcherOf, Executor loop) {
        this.source = source;
        this.nextDirectory = directory.resolve(NEXT);
        this.loop = loop;
        try {
            Files.createDirectory(nextDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + nextDirectory, e);
        }
        this.serving = new Build(new PinnedJar(directory), launcherOf, BuildVersion.current());
        this.spare = new Build(new PinnedJar(nextDirectory), launcherOf, null);
        source.ifPresent(serving.pinned::pin);
    }

    /** How the upgrades tried so far went; read on the loop. */
    Upgrades upgrades() {
        return upgrades;
    }

    /** Starts a worker from the build workers run. */
    @Override
    public ChildProcess launch(int slot) {
        return serving.launcher.launch(slot);
    }

    /**
     * SIGHUP, on the loop: a rolling restart, onto the jar now at the path the master was started
     * from if it is another than the one pinned; as a roll within the build otherwise.
     */
    void rollingRestart(Supervisor supervisor) {
        if (pinning) {
            log.warn("rolling restart already under way: pinning a new jar");
            return;
        }
        if (supervisor.rolling() || source.isEmpty() || serving.pinned.holds(source.get())) {
            supervisor.rollingRestart();
            return;
        }
        Path jar = source.get();
        Build next = spare;
        pinning = true;
        // A copy of tens of MB: off the loop, which serves the links and accepts meanwhile.
        CompletableFuture.supplyAsync(() -> next.pin(jar), WorkerBuilds::onPinningThread)
                .whenCompleteAsync((version, failure) -> {
                    pinning = false;
                    if (failure == null) {
                        log.info("upgrade: trying {} (build {}) on one worker before the others; they run build {}",
                                jar, version, serving.version);
                        supervisor.rollingRestart(new Upgrade(jar, next));
                    } else {
                        upgrades.refused();
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        log.error("upgrade to {} refused: {} ({}); no worker restarted, they run build {}", jar,
                                cause.getMessage(), cause.getCause(), serving.version);
                    }
                }, loop);
    }

    /**
     * Removes the pinned files and the second directory, leaving the private directory to its
     * owner; a copy still under way when the master stops may leave its partial file behind.
     */
    @Override
    public void close() {
        serving.pinned.close();
        spare.pinned.close();
        try {
            Files.deleteIfExists(nextDirectory);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", nextDirectory, e.toString());
        }
    }

    private static void onPinningThread(Runnable copy) {
        Thread thread = new Thread(copy, ProcessIdentity.threadPrefix("pin"));
        thread.setDaemon(true);
        thread.start();
    }

    /** A directory's pinned jar, the launcher of workers from it, and the build it holds. */
    private static final class Build {
        final PinnedJar pinned;
        final WorkerLauncher launcher;
        /** Null until a jar is pinned. */
        volatile String version;

        Build(PinnedJar pinned, Function<PinnedJar, WorkerLauncher> launcherOf, String version) {
            this.pinned = pinned;
            this.launcher = launcherOf.apply(pinned);
            this.version = version;
        }

        /** Pins {@code jar} here and returns its build; throws if it is not a jar. */
        String pin(Path jar) {
            try {
                version = BuildVersion.of(jar);
            } catch (IOException e) {
                throw new UncheckedIOException("it is not a jar that can be read", e);
            }
            pinned.pin(jar);
            return version;
        }
    }

    /** The trial of a new jar pinned in {@code next}: passed, it becomes the build workers start from. */
    private final class Upgrade implements Trial {
        private final Path jar;
        private final Build next;

        Upgrade(Path jar, Build next) {
            this.jar = jar;
            this.next = next;
        }

        @Override
        public ChildProcess launch(int slot) {
            return next.launcher.launch(slot);
        }

        @Override
        public void passed(WorkerHandle worker) {
            upgrades.passed();
            log.info("upgrade: {} runs build {} and speaks this master's link protocol: every worker starts from"
                    + " {} now", worker, next.version, jar);
            spare = serving;
            serving = next;
        }

        @Override
        public void failed(String why) {
            upgrades.failed();
            log.error("upgrade to {} (build {}) refused: {}; the rolling restart stops and the workers keep running"
                    + " build {}", jar, next.version, why, serving.version);
        }
    }
}
