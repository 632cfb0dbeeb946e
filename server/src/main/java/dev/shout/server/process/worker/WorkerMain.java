package dev.shout.server.process.worker;

import dev.shout.server.ExitCodes;
import dev.shout.server.transport.ProcessIdentity;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Entry point of a worker process: {@code WorkerMain <control socket> <slot>}. A worker parses
 * no command line: its master sends it its settings over the link (see {@link Worker}), so the
 * worker runs from the very values its master checked, and starts without building picocli's
 * model, once the largest step of its start (docs/BENCHMARKS.md).
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("shout worker: started by the master only (usage: WorkerMain <socket> <slot>)");
            System.exit(ExitCodes.USAGE);
        }
        ProcessIdentity.become("worker-" + args[1]);
        int exitCode;
        try {
            exitCode = new Worker(Path.of(args[0])).run();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(WorkerMain.class).error("worker failed", e);
            exitCode = ExitCodes.START_FAILED;
        }
        System.exit(exitCode);
    }
}
