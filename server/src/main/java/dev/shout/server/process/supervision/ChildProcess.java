package dev.shout.server.process.supervision;

import java.util.concurrent.CompletableFuture;

/** A worker as an operating-system process: what supervision needs of it, and a fake can provide. */
public interface ChildProcess {

    long pid();

    /** Completes with the exit code once the process has exited and been reaped. */
    CompletableFuture<Integer> onExit();

    /** SIGTERM: drain and exit. */
    void terminate();

    /** SIGKILL. */
    void kill();

    /** A {@link Process} as a child process. */
    static ChildProcess of(Process process) {
        return new ChildProcess() {
            @Override
            public long pid() {
                return process.pid();
            }

            @Override
            public CompletableFuture<Integer> onExit() {
                return process.onExit().thenApply(Process::exitValue);
            }

            @Override
            public void terminate() {
                process.destroy();
            }

            @Override
            public void kill() {
                process.destroyForcibly();
            }
        };
    }
}
