package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Process mode only: a worker killed with SIGKILL loses the connections it held, and no other.
 * A connection opened after the kill was never held by that worker, so it must be served, by
 * another worker or by the dead one's replacement, even when the master hands it to the dead
 * worker before it has noticed the death.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HardeningWorkerDeathTest {

    private static final int KILLS = 10;
    private static final int LOOPS = 40;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long NONE = Long.MAX_VALUE;

    @RegisterExtension
    static final Servers servers = new Servers("worker-death");

    @Test
    void connectionsOpenedAfterAWorkerIsKilledAreAllServed() throws Exception {
        LeakCheckedServer server = servers.get(ServerMode.PROCESS);
        // When the last kill(1) returned; NONE before the first and while one runs, when a connection
        // lost may have been the victim's and so counts against nothing.
        AtomicLong lastKillDone = new AtomicLong(NONE);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService loops = Executors.newFixedThreadPool(LOOPS);
        try {
            for (int i = 0; i < LOOPS; i++) {
                // Each loop keeps one connection pinging; when a kill takes it, the loop connects again
                // at once, so every kill is followed by a burst of new connections, as clients retry.
                loops.execute(() -> {
                    while (running.get()) {
                        long openedNanos = System.nanoTime();
                        try (Socket socket = TcpClient.connect(server.port())) {
                            while (running.get()) {
                                socket.getOutputStream().write("ping\n".getBytes(UTF_8));
                                assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(socket, 5));
                                served.incrementAndGet();
                            }
                        } catch (IOException | AssertionError e) {
                            long killDone = lastKillDone.get();
                            if (killDone != NONE && openedNanos > killDone) {
                                failures.add("a connection opened after a kill failed: " + e);
                            }
                        }
                    }
                });
            }
            for (int kill = 0; kill < KILLS; kill++) {
                List<Long> workers = server.workerPids();
                long victim = workers.get(kill % workers.size());
                int servedBefore = served.get();
                lastKillDone.set(NONE);
                Signals.send("KILL", victim);
                lastKillDone.set(System.nanoTime());
                // Ready, not only started: the next kill must hit a worker that serves, not one booting.
                Await.until("a replacement for worker pid " + victim + ", ready, and 200 more round trips", WAIT, () -> {
                    List<Long> now = server.workerPids();
                    return now.size() == 2 && !now.contains(victim)
                            && now.stream().allMatch(pid -> !server.logSince(0, "\\(pid " + pid + "\\) ready in ")
                                    .isEmpty())
                            && served.get() > servedBefore + 200;
                });
            }
        } finally {
            running.set(false);
            loops.shutdown();
            loops.awaitTermination(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), List.copyOf(failures));
    }
}
