package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Process mode, black box: a master and its worker processes, driven over real sockets and signals. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ProcessModeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ServerProcess startProcessMode(String... args) {
        List<String> all = new ArrayList<>(List.of("--mode", "process"));
        all.addAll(List.of(args));
        return ServerProcess.start(all.toArray(String[]::new));
    }

    private static List<Long> workerPids(ServerProcess server) {
        return server.children().stream().map(ProcessHandle::pid).toList();
    }

    /** Sends one line and reads its reply: afterwards the connection is surely with a worker. */
    private static void ping(Socket socket) throws IOException {
        socket.getOutputStream().write("ping\n".getBytes(UTF_8));
        assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(socket, 5));
    }

    private static long servingPid(ServerProcess server, Socket socket) {
        return Await.value("a worker holding the connection from port " + socket.getLocalPort(), WAIT,
                () -> ProcFs.servingPid(server.port(), socket.getLocalPort(), workerPids(server)).orElse(null));
    }

    @Test
    void connectionsAreServedByDistinctWorkerProcesses() throws IOException {
        try (ServerProcess server = startProcessMode("--workers", "2");
                Socket first = TcpClient.connect(server.port());
                Socket second = TcpClient.connect(server.port())) {
            ping(first);
            ping(second);
            assertEquals(2, workerPids(server).size());
            assertEquals(Set.copyOf(workerPids(server)), Set.of(servingPid(server, first), servingPid(server, second)));
        }
    }

    @Test
    void sixClientsOnFourOneConnectionWorkersTwoWaitAndAreServedAsSlotsFree() throws IOException {
        try (ServerProcess server = startProcessMode("--workers", "4", "--connections-per-worker", "1")) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    Socket client = TcpClient.connect(server.port());
                    client.getOutputStream().write("ping\n".getBytes(UTF_8));
                    clients.add(client);
                }
                Set<Long> served = new HashSet<>();
                for (Socket client : clients.subList(0, 4)) {
                    assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(client, 5));
                    served.add(servingPid(server, client));
                }
                assertEquals(Set.copyOf(workerPids(server)), served, "four clients, four distinct workers");
                assertWaiting(clients.get(4));
                assertWaiting(clients.get(5));

                clients.get(0).close();
                assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(clients.get(4), 5));
                assertWaiting(clients.get(5));

                clients.get(1).close();
                assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(clients.get(5), 5));
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    /** No reply within a second: the client is waiting in the backlog, not refused. */
    private static void assertWaiting(Socket client) throws IOException {
        client.setSoTimeout(1_000);
        assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());
        client.setSoTimeout(TcpClient.READ_TIMEOUT_MILLIS);
    }

    @Test
    void killingOneWorkerLosesOnlyItsConnectionsAndTheWorkerIsReplaced() throws Exception {
        try (ServerProcess server = startProcessMode("--workers", "2")) {
            List<Long> pidsBefore = workerPids(server);
            List<PingPong> streams = new ArrayList<>();
            ExecutorService threads = Executors.newCachedThreadPool();
            try {
                for (int i = 0; i < 200; i++) {
                    PingPong stream = new PingPong(TcpClient.connect(server.port()), new Random(i));
                    streams.add(stream);
                    threads.execute(stream);
                }
                Await.until("every stream under way", WAIT, () -> streams.stream().allMatch(s -> s.rounds.get() > 0));
                Map<Long, List<PingPong>> byWorker = streams.stream()
                        .collect(Collectors.groupingBy(s -> servingPid(server, s.socket)));
                long victim = pidsBefore.get(0);
                List<PingPong> survivors = byWorker.get(pidsBefore.get(1));
                assertEquals(Set.copyOf(pidsBefore), byWorker.keySet());

                Signals.send("KILL", victim);
                long killedAt = System.nanoTime();
                byte[] fresh = "new client after the kill\n".getBytes(UTF_8);
                assertArrayEquals(Reference.upper(fresh), TcpClient.exchange(server.port(), fresh, new Random(0)));
                assertTrue(System.nanoTime() - killedAt < Duration.ofSeconds(2).toNanos(),
                        "a new connection took more than 2 s to be served");

                Map<PingPong, Integer> roundsAtKill = survivors.stream()
                        .collect(Collectors.toMap(s -> s, s -> s.rounds.get()));
                Await.until("20 more rounds on every surviving connection", WAIT,
                        () -> survivors.stream().allMatch(s -> s.rounds.get() >= roundsAtKill.get(s) + 20));
                server.awaitLog("worker-\\d \\(pid " + victim + "\\) died .*SIGKILL");
                Await.until("a new worker replacing pid " + victim, WAIT,
                        () -> workerPids(server).size() == 2 && !workerPids(server).contains(victim));
                assertTrue(ProcFs.zombieChildren(server.pid()).isEmpty(), "the master reaps its workers");

                streams.forEach(PingPong::stop);
                for (PingPong stream : byWorker.get(victim)) {
                    Await.until("the killed worker's connection to end", WAIT, () -> stream.finished);
                    assertTrue(stream.failure != null, "a connection of the killed worker survived");
                }
                for (PingPong stream : survivors) {
                    Await.until("a surviving stream to stop", WAIT, () -> stream.finished);
                    assertEquals(null, stream.failure, "a connection of the surviving worker failed");
                }
            } finally {
                threads.shutdownNow();
                for (PingPong stream : streams) {
                    stream.socket.close();
                }
            }
        }
    }

    @Test
    void killingTheMasterTakesEveryWorkerDownWithinTwoSeconds() {
        try (ServerProcess server = startProcessMode("--workers", "2")) {
            List<Long> workers = workerPids(server);
            assertEquals(2, workers.size());
            server.signal("KILL");
            Await.until("every worker gone", Duration.ofSeconds(2),
                    () -> workers.stream().allMatch(pid -> ProcFs.state(pid).orElse('Z') == 'Z'));
        }
    }

    @Test
    void descriptorCountsReturnToBaselineAfterTenThousandConnections() throws Exception {
        try (ServerProcess server = startProcessMode("--workers", "2")) {
            List<Long> pids = new ArrayList<>(workerPids(server));
            pids.add(server.pid());
            churn(server.port(), 200);
            Map<Long, Integer> baseline = pids.stream().collect(Collectors.toMap(pid -> pid, ProcFs::openFds));
            churn(server.port(), 10_000);
            Await.until("descriptor counts back to " + baseline, WAIT,
                    () -> pids.stream().allMatch(pid -> ProcFs.openFds(pid) <= baseline.get(pid)));
        }
    }

    /** Opens, pings and closes {@code connections} connections from eight threads. */
    private static void churn(int port, int connections) throws Exception {
        AtomicInteger left = new AtomicInteger(connections);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    while (left.getAndDecrement() > 0) {
                        try (Socket socket = TcpClient.connect(port)) {
                            ping(socket);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }, threads));
            }
            for (CompletableFuture<Void> worker : workers) {
                TcpClient.join(worker);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void sigtermDeliversEveryOwedByteToConnectionsMidTransferThenExitsZero() throws Exception {
        try (ServerProcess server = startProcessMode("--workers", "2", "--shutdown-timeout", "20s")) {
            List<Long> workers = workerPids(server);
            RoundTrips.assertDrainDeliversEveryOwedByte(server);
            assertTrue(workers.stream().allMatch(pid -> ProcFs.state(pid).isEmpty()), "no worker outlives the master");
        }
    }

    @Test
    void sighupRestartsEveryWorkerUnderLoadWithoutFailingAConnection() throws Exception {
        try (ServerProcess server = startProcessMode("--workers", "2")) {
            RoundTrips.assertRollingRestartUnderLoadFailsNoConnection(server, 2);
        }
    }

    @Test
    void sighupToAWorkerIsIgnoredAndItsConnectionsGoOn() throws IOException {
        try (ServerProcess server = startProcessMode("--workers", "1");
                Socket client = TcpClient.connect(server.port())) {
            ping(client);
            long worker = workerPids(server).get(0);
            Signals.send("HUP", worker);
            server.awaitLog("worker-1:" + worker + "/signal\\] INFO ShutdownSignals - SIGHUP received");
            server.awaitLog("SIGHUP ignored: the master restarts workers");
            ping(client);
            assertEquals(List.of(worker), workerPids(server));
        }
    }

    @Test
    void sigtermToOneWorkerDrainsItAndTheMasterReplacesIt() {
        try (ServerProcess server = startProcessMode("--workers", "2")) {
            long victim = workerPids(server).get(0);
            Signals.send("TERM", victim);
            server.awaitLog("\\(pid " + victim + "\\) exited \\(exit code 0\\)");
            Await.until("a replacement for pid " + victim, WAIT,
                    () -> workerPids(server).size() == 2 && !workerPids(server).contains(victim));
        }
    }

    @Test
    void aWorkerThatStopsSendingHeartbeatsIsKilledAndReplaced() {
        try (ServerProcess server = startProcessMode("--workers", "2", "--worker-timeout", "1s")) {
            long frozen = workerPids(server).get(0);
            Signals.send("STOP", frozen);
            server.awaitLog("\\(pid " + frozen + "\\) sent no heartbeat within 1000 ms: killing it");
            server.awaitLog("\\(pid " + frozen + "\\) died .*SIGKILL");
            Await.until("a replacement for the frozen pid " + frozen, WAIT,
                    () -> workerPids(server).size() == 2 && !workerPids(server).contains(frozen));
        }
    }

    @Test
    void aProcessThatIsNotAWorkerIsRejectedByTheControlSocket() throws IOException {
        try (ServerProcess server = startProcessMode("--workers", "1")) {
            Matcher path = Pattern.compile("workers link through (\\S+)").matcher(server.awaitLog("workers link through"));
            assertTrue(path.find());
            try (SocketChannel stranger = SocketChannel.open(UnixDomainSocketAddress.of(path.group(1)))) {
                assertEquals(-1, stranger.read(ByteBuffer.allocate(16)), "the master should close the link");
            }
            server.awaitLog("rejected a control connection from pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void workersRunTheSerialCollectorWithASmallYoungGenerationAndTrimTheirNativeHeapUnlessTheirOptionsChoose()
            throws IOException {
        try (ServerProcess server = startProcessMode("--workers", "1")) {
            String command = workerCommandLine(server);
            assertTrue(command.contains("\0-XX:+UseSerialGC\0-Xmn16m\0-XX:TrimNativeHeapInterval=5000\0"), command);
        }
        try (ServerProcess server = startProcessMode("--workers", "1", "--worker-jvm-opts", "-XX:NewRatio=3")) {
            String command = workerCommandLine(server);
            assertTrue(command.contains("\0-XX:+UseSerialGC\0"), command);
            assertFalse(command.contains("-Xmn"), command);
        }
        try (ServerProcess server = startProcessMode("--workers", "1", "--worker-jvm-opts",
                "-XX:+UseParallelGC -XX:TrimNativeHeapInterval=0")) {
            String command = workerCommandLine(server);
            assertTrue(command.contains("\0-XX:+UseParallelGC\0"), command);
            assertFalse(command.contains("SerialGC"), command);
            assertFalse(command.contains("TrimNativeHeapInterval=5000"), command);
        }
    }

    private static String workerCommandLine(ServerProcess server) throws IOException {
        long worker = Await.value("a worker", WAIT, () -> workerPids(server).stream().findFirst().orElse(null));
        return Files.readString(Path.of("/proc", Long.toString(worker), "cmdline"), StandardCharsets.ISO_8859_1);
    }

    @Test
    void workersThatCannotBootStopTheMasterWithTheirError() {
        try (ServerProcess server = ServerProcess.launch("--port", "0", "--mode", "process", "--workers", "2",
                "--worker-jvm-opts", "-XX:+NoSuchOptionForShout")) {
            assertEquals(3, server.awaitExit(Duration.ofSeconds(60)));
            assertTrue(server.logText().contains("Unrecognized VM option 'NoSuchOptionForShout'"), server.logText());
            assertTrue(server.logText().contains("workers failed to boot 3 times in a row"), server.logText());
            assertFalse(server.logText().contains("shout listening"));
        }
    }

    /** One connection exchanging 4 KiB messages back to back, each reply checked. */
    private static final class PingPong implements Runnable {
        final Socket socket;
        final Random random;
        final AtomicInteger rounds = new AtomicInteger();
        volatile boolean running = true;
        volatile boolean finished;
        volatile Exception failure;

        PingPong(Socket socket, Random random) {
            this.socket = socket;
            this.random = random;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    byte[] message = new byte[4096];
                    for (int i = 0; i < message.length; i++) {
                        message[i] = (byte) (' ' + random.nextInt(95));
                    }
                    socket.getOutputStream().write(message);
                    assertArrayEquals(Reference.asciiUpper(message), TcpClient.readExactly(socket, message.length));
                    rounds.incrementAndGet();
                }
            } catch (IOException | AssertionError e) {
                failure = e instanceof Exception ex ? ex : new IOException(e);
            } finally {
                finished = true;
            }
        }
    }
}
