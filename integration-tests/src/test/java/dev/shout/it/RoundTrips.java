package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Checks shared by the thread-mode and process-mode tests: many clients, every byte compared. */
final class RoundTrips {

    /** How long a rolling restart under load may take on a loaded machine. */
    private static final Duration ROLL_WAIT = Duration.ofSeconds(60);

    private RoundTrips() {
    }

    /**
     * Ten connections stream 1 MiB each; a graceful stop (SIGTERM, docker stop) is asked for while
     * they are under way. Each must get its whole reply, new connections must be refused, and the
     * server must exit 0.
     */
    static void assertDrainDeliversEveryOwedByte(RunningServer draining) throws Exception {
        int connections = 10;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<CompletableFuture<Void>> exchanges = new ArrayList<>();
            CountDownLatch midTransfer = new CountDownLatch(connections);
            CountDownLatch signalled = new CountDownLatch(1);
            for (int i = 0; i < connections; i++) {
                Random random = new Random(100 + i);
                exchanges.add(CompletableFuture.runAsync(() -> slowExchange(draining.port(), random, midTransfer, signalled), pool));
            }
            assertTrue(midTransfer.await(60, TimeUnit.SECONDS), "connections did not start");
            draining.requestStop();
            draining.awaitLog("shutting down");
            signalled.countDown();
            assertThrows(ConnectException.class, () -> TcpClient.connect(draining.port()).close());
            for (CompletableFuture<Void> exchange : exchanges) {
                try {
                    TcpClient.join(exchange);
                } catch (IOException e) {
                    throw new AssertionError("a connection failed while the server drained; its log:\n"
                            + draining.logText(), e);
                }
            }
            assertEquals(0, draining.awaitExit(Duration.ofSeconds(30)));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Eight clients connect, send a line and read its reply in a loop while the server gets a
     * SIGHUP: no connection may fail, the load goes on after the roll, and every worker is new.
     */
    static void assertRollingRestartUnderLoadFailsNoConnection(ServerProcess server, int workers) throws Exception {
        byte[] ping = "ping\n".getBytes(UTF_8);
        byte[] pong = "PING\n".getBytes(UTF_8);
        List<Long> before = workerPids(server);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> load = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                load.add(CompletableFuture.runAsync(() -> {
                    while (running.get()) {
                        try (Socket socket = TcpClient.connect(server.port())) {
                            socket.getOutputStream().write(ping);
                            assertArrayEquals(pong, TcpClient.readExactly(socket, pong.length));
                            served.incrementAndGet();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }, threads));
            }
            Await.until("load under way", ROLL_WAIT, () -> served.get() > 100);
            server.signal("HUP");
            server.awaitLog("rolling restart done");
            int atDone = served.get();
            Await.until("more load after the restart", ROLL_WAIT, () -> served.get() > atDone + 100);
        } finally {
            running.set(false);
            threads.shutdown();
        }
        for (CompletableFuture<Void> client : load) {
            try {
                TcpClient.join(client);
            } catch (IOException e) {
                throw new AssertionError("a connection failed during the rolling restart; the server's log:\n"
                        + server.logText(), e);
            }
        }
        Await.until("only new workers", ROLL_WAIT, () -> workerPids(server).size() == workers
                && workerPids(server).stream().noneMatch(before::contains));
    }

    private static List<Long> workerPids(ServerProcess server) {
        return server.children().stream().map(ProcessHandle::pid).toList();
    }

    /**
     * A served connection that then stays idle is closed cleanly, not reset, when a graceful stop's
     * shutdown timeout runs out, and the server exits 0 within {@code exitWithin}.
     */
    static void assertStopClosesServedIdleConnectionCleanly(RunningServer stopping, Duration exitWithin)
            throws IOException {
        try (Socket idle = TcpClient.connect(stopping.port())) {
            idle.getOutputStream().write("owed\n".getBytes(UTF_8));
            assertArrayEquals("OWED\n".getBytes(UTF_8), TcpClient.readExactly(idle, 5));
            stopping.requestStop();
            assertEquals(-1, idle.getInputStream().read(), "a clean end of stream, not a reset");
            assertEquals(0, stopping.awaitExit(exitWithin));
        }
    }

    /**
     * Sends the first half of 1 MiB, waits until the server has answered some of it, counts down
     * {@code midTransfer}, waits for {@code signalled}, then sends the rest and checks the whole reply.
     */
    private static void slowExchange(int port, Random random, CountDownLatch midTransfer, CountDownLatch signalled) {
        byte[] payload = Reference.randomText(random, 1 << 20);
        try (Socket socket = TcpClient.connect(port)) {
            CompletableFuture<Void> answered = new CompletableFuture<>();
            CompletableFuture<byte[]> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    ByteArrayOutputStream received = new ByteArrayOutputStream();
                    int first = in.read();
                    if (first >= 0) {
                        received.write(first);
                    }
                    answered.complete(null);
                    received.writeBytes(in.readAllBytes());
                    return received.toByteArray();
                } catch (IOException e) {
                    answered.complete(null);
                    throw new UncheckedIOException(e);
                }
            });
            OutputStream out = socket.getOutputStream();
            int half = payload.length / 2;
            out.write(payload, 0, half);
            TcpClient.join(answered);
            midTransfer.countDown();
            signalled.await();
            for (int at = half; at < payload.length; at += 16_384) {
                out.write(payload, at, Math.min(16_384, payload.length - at));
            }
            socket.shutdownOutput();
            assertArrayEquals(Reference.upper(payload), TcpClient.join(reply));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    /** One line over a raw socket, uppercased with full case mapping: ß becomes SS. */
    static void assertUnicodeLineComesBackFullyUppercased(int port) throws IOException {
        byte[] reply = TcpClient.exchange(port, "héllo wörld straße\n".getBytes(UTF_8), new Random(1));
        assertEquals("HÉLLO WÖRLD STRASSE\n", new String(reply, UTF_8));
    }

    static void assertConcurrent(int port, int connections, UnaryOperator<byte[]> expected,
            Function<Random, byte[]> payloads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<CompletableFuture<Void>> exchanges = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Random random = new Random(i);
                exchanges.add(CompletableFuture.runAsync(() -> {
                    byte[] payload = payloads.apply(random);
                    try {
                        assertArrayEquals(expected.apply(payload), TcpClient.exchange(port, payload, random),
                                "payload of " + payload.length + " bytes");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, pool));
            }
            for (CompletableFuture<Void> exchange : exchanges) {
                exchange.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Random valid UTF-8 up to 1 MiB, empty one time in eight. */
    static byte[] randomText(Random random) {
        int size = random.nextInt(8) == 0 ? 0 : random.nextInt(1 << 20);
        return Reference.randomText(random, size);
    }

    static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(1 << 20)];
        random.nextBytes(bytes);
        return bytes;
    }
}
