package dev.shout.it.fleet;

import dev.shout.it.Await;
import dev.shout.it.Reference;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that keep connecting through the fleet while it changes: each loop connects, sends a
 * random line, checks the whole uppercased reply byte for byte, closes, and starts again from
 * the next of its own client addresses. Every connection that fails is kept, with why.
 */
final class ClientLoop implements AutoCloseable {

    /** Addresses per loop: an address comes round again only after this many connections. */
    private static final int ADDRESSES = 60;

    private final ExecutorService threads;
    private final AtomicInteger exchanges = new AtomicInteger();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;

    private ClientLoop(int loops) {
        threads = Executors.newFixedThreadPool(loops);
    }

    /** {@code loops} loops to {@code port}, from 127.0.{@code group}.x, each loop from addresses of its own. */
    static ClientLoop start(int port, int group, int loops) {
        ClientLoop loop = new ClientLoop(loops);
        for (int i = 0; i < loops; i++) {
            int first = i * ADDRESSES;
            loop.threads.execute(() -> loop.run(port, group, first));
        }
        return loop;
    }

    private void run(int port, int group, int firstAddress) {
        Random random = new Random(firstAddress);
        for (int n = 0; !stopping; n++) {
            String source = Clients.address(group, firstAddress + n % ADDRESSES);
            byte[] line = Reference.randomText(random, 1 + random.nextInt(1024));
            try (Socket socket = Clients.connect(source, port)) {
                byte[] reply = Clients.exchange(socket, line);
                if (!Arrays.equals(Reference.upper(line), reply)) {
                    failures.add(source + ": a wrong reply, " + reply.length + " bytes for " + line.length);
                } else {
                    exchanges.incrementAndGet();
                }
            } catch (IOException e) {
                failures.add(source + ": " + e);
            }
        }
    }

    /** Exchanges completed so far. */
    int exchanges() {
        return exchanges.get();
    }

    /** Waits for {@code more} exchanges from now. */
    void awaitExchanges(int more, Duration timeout) {
        int target = exchanges.get() + more;
        Await.until(more + " more exchanges of the client loop", timeout, () -> exchanges.get() >= target);
    }

    /** Fails if any connection failed so far, naming the first few. */
    void assertNoneFailed(String when) {
        List<String> failed = List.copyOf(failures);
        if (!failed.isEmpty()) {
            throw new AssertionError(failed.size() + " connections failed " + when + " (of " + (failed.size()
                    + exchanges.get()) + "), the first: " + failed.subList(0, Math.min(5, failed.size())));
        }
    }

    /** Stops the loops once their exchanges under way are done. */
    @Override
    public void close() {
        stopping = true;
        threads.shutdown();
        try {
            if (!threads.awaitTermination(Clients.TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
