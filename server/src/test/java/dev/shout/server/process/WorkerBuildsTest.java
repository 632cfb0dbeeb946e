package dev.shout.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.process.supervision.ChildProcess;
import dev.shout.server.process.supervision.FakeClock;
import dev.shout.server.process.supervision.SupervisedPool;
import dev.shout.server.process.supervision.Supervisor;
import dev.shout.server.process.supervision.SupervisorEvents;
import dev.shout.server.process.supervision.WorkerHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrade in place, from the builds' side: a SIGHUP with the jar pinned rolls within the build; a
 * new jar is refused if it is not one, and otherwise tried on one worker, which decides whether
 * workers start from {@code next/} from then on; each outcome is counted once. Workers are fakes
 * that note the directory they were launched from, under a real {@link Supervisor}; the master's
 * loop is a queue the test runs by hand, so that everything but the copy of a new jar happens on
 * the test's thread, as it does on the master's.
 */
@Timeout(10)
class WorkerBuildsTest {

    private static final int WORKERS = 2;

    @TempDir
    Path release;
    @TempDir
    Path privateDirectory;

    /** The pinned directory of every launch, in launch order. */
    private final List<Path> launchedFrom = new ArrayList<>();
    private final List<Launched> launched = new ArrayList<>();
    private final BlockingQueue<Runnable> loop = new LinkedBlockingQueue<>();
    private Path jar;
    private Path next;
    private WorkerBuilds builds;
    private Supervisor supervisor;

    @BeforeEach
    void serveTwoWorkersFromTheJarPinnedAtStart() throws IOException {
        jar = jar(release.resolve("shout-server.jar"), "1.0.0");
        next = privateDirectory.resolve(WorkerBuilds.NEXT);
        builds = new WorkerBuilds(privateDirectory, Optional.of(jar), pinned -> slot -> launch(pinned), loop::add);
        supervisor = new Supervisor(SupervisedPool.policy(WORKERS), builds, new FakeClock(SupervisedPool.CLOCK_START),
                Runnable::run, new NoEvents());
        supervisor.start();
        linkEveryStartingWorker();
        assertEquals(List.of(privateDirectory, privateDirectory), launchedFrom);
    }

    @AfterEach
    void close() {
        builds.close();
    }

    @Test
    void aSighupWithThePinnedJarRollsWithinTheBuildAndPinsNothing() throws IOException {
        builds.rollingRestart(supervisor);
        assertTrue(supervisor.rolling(), "no roll began");
        assertTrue(loop.isEmpty(), "a pin began");
        linkEveryStartingWorker();
        linkEveryStartingWorker();
        assertEquals(List.of(privateDirectory, privateDirectory, privateDirectory, privateDirectory), launchedFrom);
        assertFalse(supervisor.rolling(), "the roll did not end");
        assertEmpty(next);
        assertEquals(counts(0, 0, 0), builds.upgrades().byResult());
    }

    @Test
    void aNewFileThatIsNotAJarIsRefusedAndWorkersKeepStartingFromTheOldBuild() throws IOException {
        sighupAfterDeploying(Files.writeString(release.resolve("next.jar"), "not a jar"));
        assertEquals(counts(0, 0, 1), builds.upgrades().byResult());
        assertFalse(supervisor.rolling(), "a roll began");
        assertEquals(2, launchedFrom.size(), "a worker was started");
        assertEmpty(next);
        builds.launch(1);
        assertEquals(privateDirectory, launchedFrom.get(2), "a respawn after the refusal");
    }

    @Test
    void aNewJarWhoseTrialPassesIsWhereEveryWorkerStartsFromThen() throws IOException {
        sighupAfterDeploying(jar(release.resolve("next.jar"), "2.0.0"));
        assertEquals(List.of(privateDirectory, privateDirectory, next), launchedFrom, "the trial");
        assertEquals(counts(0, 0, 0), builds.upgrades().byResult(), "counted before its worker linked");
        linkEveryStartingWorker();
        assertEquals(counts(1, 0, 0), builds.upgrades().byResult());
        assertEquals(next, launchedFrom.get(3), "the rest of the roll");
        linkEveryStartingWorker();
        assertFalse(supervisor.rolling(), "the roll did not end");
        builds.launch(1);
        assertEquals(next, launchedFrom.get(4), "a respawn after the upgrade");
        assertEquals(counts(1, 0, 0), builds.upgrades().byResult());
    }

    @Test
    void aNewJarWhoseTrialFailsLeavesWorkersStartingFromTheOldBuild() throws IOException {
        sighupAfterDeploying(jar(release.resolve("next.jar"), "2.0.0"));
        assertEquals(next, launchedFrom.get(2), "the trial");
        launched.get(2).exit().complete(SupervisedPool.FAILED);
        assertEquals(counts(0, 1, 0), builds.upgrades().byResult());
        assertFalse(supervisor.rolling(), "the roll goes on");
        assertEquals(3, launchedFrom.size(), "a worker was started from the failed build");
        builds.launch(1);
        assertEquals(privateDirectory, launchedFrom.get(3), "a respawn after the failed trial");
    }

    @Test
    void closeRemovesNextAndThePinnedJars() throws IOException {
        sighupAfterDeploying(jar(release.resolve("next.jar"), "2.0.0"));
        linkEveryStartingWorker();
        assertTrue(Files.isRegularFile(next.resolve(PinnedJar.JAR)), "nothing pinned in next/");
        builds.close();
        assertFalse(Files.exists(next), "next/ left behind");
        assertEmpty(privateDirectory);
    }

    private ChildProcess launch(PinnedJar pinned) {
        launchedFrom.add(pinned.directory());
        Launched process = new Launched(1000 + launched.size(), new CompletableFuture<>());
        launched.add(process);
        return process;
    }

    /** Every worker not linked yet links now, as a worker of any build does here. */
    private void linkEveryStartingWorker() {
        List.copyOf(supervisor.workers()).stream().filter(worker -> worker.state() == WorkerHandle.State.STARTING)
                .forEach(supervisor::linked);
    }

    /** Waits for the pin of a new jar to hand its outcome to the loop, and runs it. */
    private void runTheLoopOnce() {
        Runnable task;
        try {
            task = loop.poll(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertNotNull(task, "the pin never came back to the loop");
        task.run();
    }

    /** Renames {@code file} over the master's jar, as a deploy does, then sends SIGHUP and lets its pin come back. */
    private void sighupAfterDeploying(Path file) throws IOException {
        Files.move(file, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        builds.rollingRestart(supervisor);
        runTheLoopOnce();
    }

    private static Map<String, Long> counts(long passed, long failed, long refused) {
        return Map.of(Upgrades.PASSED, passed, Upgrades.FAILED, failed, Upgrades.REFUSED, refused);
    }

    private static void assertEmpty(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(), files.toList(), directory + " holds files");
        }
    }

    /** A jar of nothing but its manifest, which names its build. */
    private static Path jar(Path file, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        new JarOutputStream(Files.newOutputStream(file), manifest).close();
        return file;
    }

    /** A worker that exits when the test completes {@code exit}; signals to it are no news here. */
    private record Launched(long pid, CompletableFuture<Integer> exit) implements ChildProcess {

        @Override
        public CompletableFuture<Integer> onExit() {
            return exit;
        }

        @Override
        public void terminate() {
        }

        @Override
        public void kill() {
        }
    }

    /** The dispatcher's side of supervision, which the builds have no part in. */
    private static final class NoEvents implements SupervisorEvents {
        @Override
        public void ready(WorkerHandle worker) {
        }

        @Override
        public void retiring(WorkerHandle worker) {
        }

        @Override
        public void gone(WorkerHandle worker, boolean crashed) {
        }

        @Override
        public void allReady() {
        }

        @Override
        public void cannotBoot() {
        }
    }
}
