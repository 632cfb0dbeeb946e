package dev.shout.server.process.supervision;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A worker process that exits only when the test says so, and writes each signal it is sent on
 * the test's timeline, so that a test can check what was told to whom, and in which order.
 */
public final class FakeChildProcess implements ChildProcess {

    private final long pid;
    private final Consumer<String> timeline;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private int terminations;
    private int kills;

    FakeChildProcess(long pid, Consumer<String> timeline) {
        this.pid = pid;
        this.timeline = timeline;
    }

    /** The process ends with {@code code}; a supervisor running its tasks in place hears of it at once. */
    public void exit(int code) {
        if (!exit.complete(code)) {
            throw new IllegalStateException("pid " + pid + " exited already");
        }
    }

    public int terminations() {
        return terminations;
    }

    public int kills() {
        return kills;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    /** Recorded only: a real worker takes its time to drain, so the test decides when it exits. */
    @Override
    public void terminate() {
        terminations++;
        timeline.accept("terminate " + pid);
    }

    /** Recorded only: a real kill is reaped later too, and liveness checks must not repeat it meanwhile. */
    @Override
    public void kill() {
        kills++;
        timeline.accept("kill " + pid);
    }
}
