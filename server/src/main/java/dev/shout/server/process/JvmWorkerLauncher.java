package dev.shout.server.process;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.shout.server.NettyJfrEvents;
import dev.shout.server.config.ServerConfig;
import dev.shout.server.config.SocketActivation;
import dev.shout.server.logging.StderrServiceProvider;
import dev.shout.server.process.supervision.ChildProcess;
import dev.shout.server.process.supervision.WorkerLauncher;
import dev.shout.server.process.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starts worker JVMs from the master's own java binary and the jar it pinned, so that a worker is
 * the same program in the same version, told only the control socket and its slot (its settings
 * come over the link); with the jar's
 * class-data sharing archive, if it has one, and the native epoll library taken out of it, for a
 * quicker start.
 */
final class JvmWorkerLauncher implements WorkerLauncher {

    /**
     * The share of the machine's (or container's) memory all workers' heaps may take together.
     * Each JVM defaults to 25%, which with more than three workers and a master overcommits a
     * container's limit; Netty's direct buffers take about as much again as the heap.
     */
    static final double WORKERS_HEAP_PERCENT = 35.0;
    /**
     * A worker's young generation with the serial collector: room for a few thousand accepts or
     * a burst of TLS handshakes between collections, which find next to nothing alive; 8 MB kept
     * as little resident, 16 MB leaves the bursts more room.
     */
    static final int WORKER_YOUNG_MEGABYTES = 16;

    private final ServerConfig config;
    private final Path controlSocket;
    /** Holds no jar when the master runs from classes: workers then get its class path. */
    private final PinnedJar pinned;

    JvmWorkerLauncher(ServerConfig config, Path controlSocket, PinnedJar pinned) {
        this.config = config;
        this.controlSocket = controlSocket;
        this.pinned = pinned;
    }

    private static boolean choosesCollector(String jvmOption) {
        return jvmOption.startsWith("-XX:+Use") && jvmOption.endsWith("GC");
    }

    private static boolean setsHeapSize(String jvmOption) {
        return jvmOption.startsWith("-Xmx") || jvmOption.startsWith("-XX:MaxRAMPercentage")
                || jvmOption.startsWith("-XX:MaxRAM=") || jvmOption.startsWith("-XX:MaxHeapSize");
    }

    private static boolean setsYoungSize(String jvmOption) {
        return jvmOption.startsWith("-Xmn") || jvmOption.startsWith("-XX:NewSize=")
                || jvmOption.startsWith("-XX:MaxNewSize=") || jvmOption.startsWith("-XX:NewRatio=");
    }

    /**
     * The master's own Netty and logging settings ({@code -Dio.netty.*}, {@code -Dorg.slf4j.*}),
     * so that e.g. leak detection or a debug log level given to the master covers its workers too.
     */
    private static List<String> inheritedSystemProperties() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-Dio.netty.") || arg.startsWith("-Dorg.slf4j."))
                .toList();
    }

    /**
     * The worker runs in the pinned jar's directory, where its class path names the pinned jar
     * (see {@link PinnedJar}); {@code user.dir} keeps the master's directory, against which the
     * JDK resolves the relative paths of the command line ({@code --tls-cert}) as the master
     * does, and a JVM crash report ({@code hs_err_pid*.log}) goes there too, not into the
     * directory that goes with the master. The archive, when there is one, is used if the JVM
     * can: one that does not match this JVM or jar, or is damaged, is passed over without a word
     * ({@code -Xshare:auto}, the {@code cds} logs off) and the worker starts as it would without.
     * The epoll library taken out of the pinned jar, when there is one, is found first on the
     * {@code java.library.path} (ahead of the master's, which the rest of the path keeps), so Netty
     * loads it from there instead of copying it out of the jar into {@code /tmp}; absolute, as a
     * relative one would be resolved against {@code user.dir}.
     */
    private List<String> pinnedJarOptions() {
        List<String> options = new ArrayList<>();
        String masterDirectory = System.getProperty("user.dir");
        options.add("-Duser.dir=" + masterDirectory);
        options.add("-XX:ErrorFile=" + Path.of(masterDirectory, "hs_err_pid%p.log"));
        pinned.archive().ifPresent(archive -> options.addAll(List.of("-XX:SharedArchiveFile=" + PinnedJar.ARCHIVE,
                "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")));
        pinned.epollLibrary().ifPresent(library -> options.add("-Djava.library.path="
                + library.toAbsolutePath().getParent() + File.pathSeparator + System.getProperty("java.library.path")));
        return options;
    }

    @Override
    public ChildProcess launch(int slot) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A worker out of memory is better dead and replaced than limping.
        command.add("-XX:+ExitOnOutOfMemoryError");
        if (config.workerJvmOpts().stream().noneMatch(JvmWorkerLauncher::setsHeapSize)) {
            command.add(String.format(Locale.ROOT, "-XX:MaxRAMPercentage=%.1f", WORKERS_HEAP_PERCENT / config.workers()));
        }
        // A worker is one or a few event loops: the serial collector keeps its heap near what its
        // connections hold (G1 keeps what an accept burst made it take) and starts sooner.
        if (config.workerJvmOpts().stream().noneMatch(JvmWorkerLauncher::choosesCollector)) {
            command.add("-XX:+UseSerialGC");
            // The serial collector's young generation defaults to a third of the heap's initial
            // size (about 100 MB here), which an accept burst touches once and the worker then
            // keeps resident: 1.1 to 1.7 KB of an idle connection's cost (docs/BENCHMARKS.md).
            if (config.workerJvmOpts().stream().noneMatch(JvmWorkerLauncher::setsYoungSize)) {
                command.add("-Xmn" + WORKER_YOUNG_MEGABYTES + "m");
            }
        }
        NativeHeapTrim.workerOption(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class),
                config.workerJvmOpts()).ifPresent(command::add);
        // Before the master's own -Dio.netty.* options, which override it.
        command.add(NettyJfrEvents.offOption());
        SelectorProviderOption.of(SelectorProvider.provider()).ifPresent(command::add);
        command.addAll(StderrServiceProvider.jvmOptions());
        command.addAll(inheritedSystemProperties());
        boolean fromPinnedJar = pinned.jar().isPresent();
        if (fromPinnedJar) {
            command.addAll(pinnedJarOptions());
        }
        command.addAll(config.workerJvmOpts());
        command.add("-cp");
        command.add(fromPinnedJar ? PinnedJar.CLASS_PATH : System.getProperty("java.class.path"));
        command.add(WorkerMain.class.getName());
        command.add(controlSocket.toString());
        command.add(Integer.toString(slot));
        ProcessBuilder worker = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (fromPinnedJar) {
            worker.directory(pinned.directory().toFile());
        }
        // Socket activation's variables are the master's alone: sd_listen_fds(3) unsets them once read,
        // which a JVM cannot do to its own environment. The socket itself does not reach a worker,
        // which inherits no descriptor but its standard streams.
        worker.environment().keySet().removeAll(SocketActivation.VARIABLES);
        try {
            return ChildProcess.of(worker.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker-" + slot, e);
        }
    }
}
