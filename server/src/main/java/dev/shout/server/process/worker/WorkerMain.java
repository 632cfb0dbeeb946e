package dev.shout.server.process.worker;

import dev.shout.server.ExitCodes;
import dev.shout.server.ShoutServer;
import dev.shout.server.config.ServerConfig;
import dev.shout.server.transport.ProcessIdentity;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of a worker process: {@code WorkerMain <control socket> <slot> <master's args>}.
 * The master's own arguments are parsed again here, so a worker runs from the very same
 * {@link ServerConfig} as its master.
 */
public final class WorkerMain {

    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("shout worker: started by the master only (usage: WorkerMain <socket> <slot> <args>)");
            System.exit(ExitCodes.USAGE);
        }
        ProcessIdentity.become("worker-" + args[1]);
        int exitCode;
        try {
            ServerConfig config = ShoutServer.parse(Arrays.asList(args).subList(2, args.length));
            exitCode = new Worker(config, Path.of(args[0])).run();
        } catch (RuntimeException e) {
            log.error("worker failed", e);
            exitCode = ExitCodes.START_FAILED;
        }
        System.exit(exitCode);
    }
}
