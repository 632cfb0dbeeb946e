package dev.shout.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs one client's script many times from a few threads at once, as a flood of clients would. */
final class ManyClients {

    /** One client's script; {@code n} numbers the run. */
    interface Script {
        void run(int n) throws IOException;
    }

    private ManyClients() {
    }

    /** Runs {@code script} {@code times} times from {@code threads} threads; fails with the first failure. */
    static void run(int times, int threads, Script script) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> runners = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                runners.add(pool.submit(() -> {
                    for (int n; (n = next.getAndIncrement()) < times; ) {
                        script.run(n);
                    }
                    return null;
                }));
            }
            for (Future<Void> runner : runners) {
                runner.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
