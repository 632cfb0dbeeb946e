package dev.shout.server.process.supervision;

/** Starts the process of a worker for a slot; behind an interface so supervision can be tested without JVMs. */
@FunctionalInterface
public interface WorkerLauncher {

    /** @throws RuntimeException when the process cannot be started at all */
    ChildProcess launch(int slot);
}
