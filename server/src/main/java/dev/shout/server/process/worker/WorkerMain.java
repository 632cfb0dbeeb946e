package dev.shout.server.process.worker;

import dev.shout.server.ExitCodes;
import dev.shout.server.ShoutServer;
import dev.shout.server.config.ServerConfig;
import dev.shout.server.transport.ProcessIdentity;
import dev.shout.server.transport.Transport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Entry point of a worker process: {@code WorkerMain <control socket> <slot> <master's args>}.
 * The master's own arguments are parsed again here, so a worker runs from the very same
 * {@link ServerConfig} as its master, even one started from a newer jar than the master's.
 *
 * <p>The worker's start is on the clock (the master reports it, docs/BENCHMARKS.md): picocli
 * builds its model on a second thread while this one sets up logging and loads Netty's native
 * transport, the two largest steps, which take about as long as each other. Building the model
 * takes no logger and touches no Netty class, so both are set up once, on this thread, and no
 * class takes a logger before logging is ready.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("shout worker: started by the master only (usage: WorkerMain <socket> <slot> <args>)");
            System.exit(ExitCodes.USAGE);
        }
        ProcessIdentity.become("worker-" + args[1]);
        FutureTask<CommandLine> commandLine = new FutureTask<>(ShoutServer::commandLine);
        Thread modelBuilder = new Thread(commandLine, ProcessIdentity.threadPrefix("start"));
        modelBuilder.setDaemon(true);
        modelBuilder.start();
        LoggerFactory.getILoggerFactory();
        Transport.nativeAvailable();
        int exitCode;
        try {
            ServerConfig config = ShoutServer.parse(built(commandLine), Arrays.asList(args).subList(2, args.length));
            exitCode = new Worker(config, Path.of(args[0])).run();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(WorkerMain.class).error("worker failed", e);
            exitCode = ExitCodes.START_FAILED;
        }
        System.exit(exitCode);
    }

    private static CommandLine built(FutureTask<CommandLine> commandLine) {
        try {
            return commandLine.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot build the command line", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the command line was built", e);
        }
    }
}
