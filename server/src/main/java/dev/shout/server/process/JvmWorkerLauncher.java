package dev.shout.server.process;

import dev.shout.server.config.ServerConfig;
import dev.shout.server.config.SocketActivation;
import dev.shout.server.process.supervision.ChildProcess;
import dev.shout.server.process.supervision.WorkerLauncher;
import dev.shout.server.process.worker.WorkerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starts worker JVMs from the master's own java binary and class path, with the master's
 * command line, so that a worker is the same program in the same version.
 */
final class JvmWorkerLauncher implements WorkerLauncher {

    /**
     * The share of the machine's (or container's) memory all workers' heaps may take together.
     * Each JVM defaults to 25%, which with more than three workers and a master overcommits a
     * container's limit; Netty's direct buffers take about as much again as the heap.
     */
    static final double WORKERS_HEAP_PERCENT = 35.0;

    private final ServerConfig config;
    private final Path controlSocket;

    JvmWorkerLauncher(ServerConfig config, Path controlSocket) {
        this.config = config;
        this.controlSocket = controlSocket;
    }

    private static boolean setsHeapSize(String jvmOption) {
        return jvmOption.startsWith("-Xmx") || jvmOption.startsWith("-XX:MaxRAMPercentage")
                || jvmOption.startsWith("-XX:MaxRAM=") || jvmOption.startsWith("-XX:MaxHeapSize");
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

    @Override
    public ChildProcess launch(int slot) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A worker out of memory is better dead and replaced than limping.
        command.add("-XX:+ExitOnOutOfMemoryError");
        if (config.workerJvmOpts().stream().noneMatch(JvmWorkerLauncher::setsHeapSize)) {
            command.add(String.format(Locale.ROOT, "-XX:MaxRAMPercentage=%.1f", WORKERS_HEAP_PERCENT / config.workers()));
        }
        command.addAll(inheritedSystemProperties());
        command.addAll(config.workerJvmOpts());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkerMain.class.getName());
        command.add(controlSocket.toString());
        command.add(Integer.toString(slot));
        command.addAll(config.originalArgs());
        ProcessBuilder worker = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
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
