package dev.shout.server.process.supervision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts {@link FakeChildProcess}es with pids 1000, 1001, ... in launch order, counts the
 * attempts per slot, and fails the launches a test asks it to fail, as a failed fork would.
 */
public final class FakeLauncher implements WorkerLauncher {

    /** The first pid handed out. */
    public static final long FIRST_PID = 1000;

    private final Consumer<String> timeline;
    private final Map<Long, FakeChildProcess> processes = new HashMap<>();
    private final Map<Integer, Integer> attempts = new HashMap<>();
    private long nextPid = FIRST_PID;
    private int failuresToCome;

    FakeLauncher(Consumer<String> timeline) {
        this.timeline = timeline;
    }

    /** The next {@code count} launches throw, as {@code JvmWorkerLauncher} does when the fork fails. */
    public void failNextLaunches(int count) {
        failuresToCome = count;
    }

    /** Launches asked for {@code slot}, failed ones included. */
    public int attempts(int slot) {
        return attempts.getOrDefault(slot, 0);
    }

    public FakeChildProcess process(long pid) {
        FakeChildProcess process = processes.get(pid);
        if (process == null) {
            throw new IllegalArgumentException("no process of pid " + pid + " was launched");
        }
        return process;
    }

    /** The pid of the latest process launched. */
    public long lastPid() {
        return nextPid - 1;
    }

    @Override
    public ChildProcess launch(int slot) {
        attempts.merge(slot, 1, Integer::sum);
        if (failuresToCome > 0) {
            failuresToCome--;
            timeline.accept("launch " + slot + " failed");
            throw new UncheckedIOException("cannot start worker-" + slot, new IOException("fork: out of memory"));
        }
        FakeChildProcess process = new FakeChildProcess(nextPid++, timeline);
        processes.put(process.pid(), process);
        timeline.accept("launch " + slot + ": " + process.pid());
        return process;
    }
}
