package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image in process mode: the master, PID 1 of the container, and its worker JVMs, seen
 * from /proc inside the container (the image has no ps).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ContainerProcessModeTest extends ContainerContract {

    private static final int WORKERS = 2;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PROC_PID = Pattern.compile("/proc/(\\d+)/");

    ContainerProcessModeTest() {
        super("process", "--workers", Integer.toString(WORKERS));
    }

    /** Pids, inside the container, of the processes running WorkerMain. */
    private List<Long> workerPids() {
        // '[W]orkerMain' does not match the shell's own command line, which holds the pattern.
        String found = server.shell("for f in /proc/[0-9]*/cmdline; do grep -qs '[W]orkerMain' $f && echo $f; done; true");
        Matcher pids = PROC_PID.matcher(found);
        return pids.results().map(pid -> Long.parseLong(pid.group(1))).toList();
    }

    @Test
    void theRequestedNumberOfWorkerProcessesRunInTheContainer() {
        assertEquals(WORKERS, workerPids().size(), server.logText());
    }

    @Test
    void aWorkerKilledInsideTheContainerIsReplaced() {
        List<Long> before = workerPids();
        long victim = before.get(0);
        server.shell("kill -9 " + victim);
        server.awaitLog("worker-\\d+ \\(pid " + victim + "\\) died");
        List<Long> after = Await.value("a worker replacing pid " + victim, WAIT, () -> {
            List<Long> now = workerPids();
            return now.size() == WORKERS && !now.contains(victim) ? now : null;
        });
        long replacement = after.stream().filter(pid -> !before.contains(pid)).findFirst().orElseThrow();
        server.awaitLog("worker-\\d+ \\(pid " + replacement + "\\) ready");
    }
}
