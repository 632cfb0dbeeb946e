package dev.shout.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Open file descriptors of the server's processes, counted before something and awaited back after it. */
final class OpenDescriptors {

    private final Map<Long, Integer> counts;

    private OpenDescriptors(Map<Long, Integer> counts) {
        this.counts = counts;
    }

    static OpenDescriptors count(List<Long> pids) {
        return new OpenDescriptors(pids.stream().collect(Collectors.toMap(Function.identity(), ProcFs::openFds)));
    }

    /** Waits until no process holds more descriptors than it did when counted. */
    void awaitBackToThese(Duration timeout) {
        Await.until("descriptor counts back to " + counts + " (now " + count(List.copyOf(counts.keySet())).counts + ")",
                timeout, () -> counts.entrySet().stream().allMatch(pid -> ProcFs.openFds(pid.getKey()) <= pid.getValue()));
    }
}
