package dev.shout.it;

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
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Checks shared by the thread-mode and process-mode tests: many clients, every byte compared. */
final class RoundTrips {

    private RoundTrips() {
    }

    /**
     * Ten connections stream 1 MiB each; SIGTERM arrives while they are under way. Each must get its
     * whole reply, new connections must be refused, and the server must exit 0.
     */
    static void assertDrainDeliversEveryOwedByte(ServerProcess draining) throws Exception {
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
            draining.signal("TERM");
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

    static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(1 << 20)];
        random.nextBytes(bytes);
        return bytes;
    }
}
