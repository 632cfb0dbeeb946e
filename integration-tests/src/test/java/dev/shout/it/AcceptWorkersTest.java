package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --accept workers}, black box: the master shares its listening socket and the workers
 * accept from it. Clients spread evenly, the limits hold in total, and the socket outlives any
 * worker; {@code --accept master} is checked beside it where both must behave alike.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AcceptWorkersTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final byte[] PING = "ping\n".getBytes(UTF_8);
    private static final byte[] PONG = "PING\n".getBytes(UTF_8);

    private static ServerProcess start(String accept, String... flags) {
        List<String> all = new ArrayList<>(List.of("--mode", "process", "--accept", accept, "--worker-timeout", "30s"));
        all.addAll(List.of(flags));
        return ServerProcess.start(all.toArray(String[]::new));
    }

    private static List<Long> workerPids(ServerProcess server) {
        return server.children().stream().map(ProcessHandle::pid).toList();
    }

    @ParameterizedTest(name = "--accept {0}")
    @ValueSource(strings = {"master", "workers"})
    void everyByteComesBackExactlyInBothAcceptModes(String accept) throws Exception {
        try (ServerProcess server = start(accept, "--workers", "2")) {
            RoundTrips.assertUnicodeLineComesBackFullyUppercased(server.port());
            RoundTrips.assertConcurrent(server.port(), 20, Reference::upper, random -> Reference.randomText(random, 50_000));
        }
    }

    @Test
    void theStartLineSaysTheWorkersAccept() {
        try (ServerProcess server = start("workers", "--workers", "1")) {
            server.awaitLog("shout listening on .*accept=workers\\)");
            server.awaitLog("accepting from the listening socket the master shares");
        }
    }

    /**
     * A thousand clients in one burst, or one after another: each worker's count of connections
     * opened stays within 1.5 of every other's, where epoll alone lets one worker take most.
     */
    @ParameterizedTest(name = "{0} workers, {1}")
    @CsvSource({"2, burst", "2, one after another", "4, burst", "4, one after another"})
    void clientsSpreadEvenlyOverTheWorkers(int workers, String pattern) throws Exception {
        try (ServerProcess server = start("workers", "--workers", Integer.toString(workers), "--metrics-port", "0")) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            if (pattern.equals("burst")) {
                List<Socket> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 1000; i++) {
                        clients.add(LoopbackAddresses.connectFrom(LoopbackAddresses.other(i), server.port()));
                    }
                    for (Socket client : clients) {
                        client.getOutputStream().write(PING);
                    }
                    for (Socket client : clients) {
                        assertArrayEquals(PONG, TcpClient.readExactly(client, PONG.length));
                    }
                } finally {
                    for (Socket client : clients) {
                        client.close();
                    }
                }
            } else {
                for (int i = 0; i < 1000; i++) {
                    try (Socket client = LoopbackAddresses.connectFrom(LoopbackAddresses.other(i), server.port())) {
                        client.getOutputStream().write(PING);
                        assertArrayEquals(PONG, TcpClient.readExactly(client, PONG.length));
                    }
                }
            }
            metrics.awaitSum("shout_connections_opened_total", 1000);
            List<Double> opened = new ArrayList<>();
            for (int slot = 1; slot <= workers; slot++) {
                opened.add(metrics.scrape().get("shout_connections_opened_total{worker=\"" + slot + "\"}"));
            }
            double most = opened.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double fewest = opened.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            assertTrue(fewest > 0 && most / fewest <= 1.5, "connections opened per worker: " + opened);
        }
    }

    /** More clients than the limits allow: the rest wait, unrefused, and are served as room is made. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'--max-connections 5 in total', --max-connections, 5, 5",
        "'--connections-per-worker 2 on each of 2 workers', --connections-per-worker, 2, 4"})
    void theLimitsHoldInTotalAndTheRestWaitInTheBacklog(String name, String flag, String value, int servedAtOnce)
            throws Exception {
        try (ServerProcess server = start("workers", "--workers", "2", flag, value, "--metrics-port", "0")) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            int clients = servedAtOnce + 3;
            ExecutorService readers = Executors.newFixedThreadPool(clients);
            List<Socket> sockets = new ArrayList<>();
            try {
                List<CompletableFuture<Socket>> replies = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    Socket socket = LoopbackAddresses.connectFrom(LoopbackAddresses.other(i), server.port());
                    sockets.add(socket);
                    socket.getOutputStream().write(PING);
                    replies.add(CompletableFuture.supplyAsync(() -> pong(socket), readers));
                }
                Await.until(servedAtOnce + " clients served", WAIT,
                        () -> replies.stream().filter(CompletableFuture::isDone).count() == servedAtOnce);
                List<CompletableFuture<Socket>> waiting = replies.stream().filter(reply -> !reply.isDone()).toList();
                for (CompletableFuture<Socket> reply : waiting) {
                    assertThrows(TimeoutException.class, () -> reply.get(1, TimeUnit.SECONDS), "served beyond " + name);
                }
                if (flag.equals("--connections-per-worker")) {
                    Map<Long, Integer> byWorker = new HashMap<>();
                    for (CompletableFuture<Socket> reply : replies) {
                        if (reply.isDone()) {
                            byWorker.merge(servingPid(server, reply.join()), 1, Integer::sum);
                        }
                    }
                    assertEquals(List.of(2, 2), List.copyOf(byWorker.values()), "served per worker: " + byWorker);
                }
                for (CompletableFuture<Socket> reply : replies) {
                    if (!waiting.contains(reply)) {
                        reply.join().close();
                    }
                }
                for (CompletableFuture<Socket> reply : waiting) {
                    reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                assertEquals(0, metrics.sum("shout_connections_refused_total"), "a waiting client was refused");
            } finally {
                readers.shutdownNow();
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Three addresses, forty clients each, on four workers that each admit on their own: every
     * address gets exactly its ten places, the rest are refused, and several workers served them.
     */
    @Test
    void thePerAddressLimitHoldsAcrossWorkers() throws Exception {
        int limit = 10;
        // Ten a worker at most, so that the thirty admitted are spread over three workers or four
        // whatever the balance's lead (32) and the wake-ups do.
        try (ServerProcess server = start("workers", "--workers", "4", "--max-connections-per-ip",
                Integer.toString(limit), "--connections-per-worker", Integer.toString(limit), "--metrics-port", "0")) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            List<String> addresses = List.of("127.0.3.1", "127.0.3.2", "127.0.3.3");
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 40 * addresses.size(); i++) {
                    Socket socket = LoopbackAddresses.connectFrom(addresses.get(i % addresses.size()), server.port());
                    sockets.add(socket);
                    socket.getOutputStream().write(PING);
                }
                Map<String, Integer> served = new HashMap<>();
                List<Long> servingWorkers = new ArrayList<>();
                for (Socket socket : sockets) {
                    if (answered(socket)) {
                        served.merge(socket.getLocalAddress().getHostAddress(), 1, Integer::sum);
                        servingWorkers.add(servingPid(server, socket));
                    }
                }
                assertEquals(Map.of("127.0.3.1", limit, "127.0.3.2", limit, "127.0.3.3", limit), served);
                assertTrue(servingWorkers.stream().distinct().count() >= 3, "served by " + servingWorkers);
                metrics.await("shout_connections_refused_total{reason=\"per_ip_limit\"}", 3 * (40 - limit));
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    /** The master keeps the socket: clients that come while the only worker is dead wait, then are served. */
    @Test
    void clientsWaitingWhileTheOnlyWorkerRestartsAreServed() throws Exception {
        try (ServerProcess server = start("workers", "--workers", "1")) {
            long victim = workerPids(server).get(0);
            Signals.send("KILL", victim);
            server.awaitLog("\\(pid " + victim + "\\) died .*SIGKILL");
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    Socket client = TcpClient.connect(server.port());
                    clients.add(client);
                    client.getOutputStream().write(PING);
                }
                for (Socket client : clients) {
                    assertArrayEquals(PONG, TcpClient.readExactly(client, PONG.length));
                }
                assertTrue(!workerPids(server).contains(victim), "served by the killed worker");
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void sighupRestartsEveryWorkerUnderLoadWithoutFailingAConnection() throws Exception {
        try (ServerProcess server = start("workers", "--workers", "2")) {
            RoundTrips.assertRollingRestartUnderLoadFailsNoConnection(server, 2);
        }
    }

    @Test
    void sigtermDeliversEveryOwedByteThenExitsZero() throws Exception {
        try (ServerProcess server = start("workers", "--workers", "2", "--shutdown-timeout", "20s")) {
            RoundTrips.assertDrainDeliversEveryOwedByte(server);
        }
    }

    private static Socket pong(Socket socket) {
        try {
            assertArrayEquals(PONG, TcpClient.readExactly(socket, PONG.length));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if the server answered the ping; false if it closed the connection unanswered. */
    private static boolean answered(Socket socket) throws IOException {
        try {
            byte[] reply = socket.getInputStream().readNBytes(PONG.length);
            if (reply.length == 0) {
                return false;
            }
            assertArrayEquals(PONG, reply);
            return true;
        } catch (java.net.SocketException reset) {
            return false;
        }
    }

    private static long servingPid(ServerProcess server, Socket socket) {
        return Await.value("a worker holding the connection from port " + socket.getLocalPort(), WAIT,
                () -> ProcFs.servingPid(server.port(), socket.getLocalPort(), workerPids(server)).orElse(null));
    }
}
