package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.metrics.ProcNetTcp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rolling restarts that keep every connection (issue #11), black box: SIGHUP to a master in
 * process mode moves each live connection, descriptor and state, from its old worker to the new
 * one, and the clients see nothing but their bytes.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MigrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MIGRATED = "shout_migrations_total{result=\"ok\"}";
    private static final String FELL_BACK = "shout_migrations_total{result=\"fallback\"}";
    private static final String FAILED = "shout_migrations_total{result=\"failed\"}";
    private static final String OPENED = "shout_connections_opened_total";

    /** The first bytes of a character held across the move, and its rest: é, € and an emoji, split everywhere. */
    private static final List<byte[][]> SPLIT_CHARACTERS = List.of(
            split("é", 1), split("€", 1), split("€", 2), split("😀", 1), split("😀", 2), split("😀", 3));

    private static LeakCheckedServer start(String name, int workers, String... flags) {
        List<String> all = new ArrayList<>(List.of("--mode", "process", "--workers", Integer.toString(workers),
                "--worker-timeout", "30s", "--metrics-port", "0"));
        all.addAll(List.of(flags));
        return LeakCheckedServer.start(name, List.of(), all);
    }

    @Test
    void everyConnectionMovesToTheNewWorkersByteExactAndIsCountedOnce() throws Exception {
        try (LeakCheckedServer server = start("migration-every-connection", 2)) {
            assertEveryConnectionMoves(server, 200, 200, 20);
            server.stopAndAssertNoLeaks();
        }
    }

    /** With {@code --accept workers} the workers accept under leases, and the leases move with the connections. */
    @Test
    void connectionsAcceptedByTheWorkersMoveToo() throws Exception {
        try (LeakCheckedServer server = start("migration-accept-workers", 2, "--accept", "workers",
                "--idle-timeout", "120s")) {
            assertEveryConnectionMoves(server, 10, 20, 6);
            server.stopAndAssertNoLeaks();
        }
    }

    /**
     * Opens {@code pingPongs} clients talking all along, {@code idleCount} idle ones and
     * {@code splitCount} holding half a character, rolls, and checks every one carries on byte-exact,
     * moved and not counted as opened again.
     */
    private static void assertEveryConnectionMoves(LeakCheckedServer server, int pingPongs, int idleCount,
            int splitCount) throws Exception {
        int total = pingPongs + idleCount + splitCount;
        try (PingPongs talking = PingPongs.start(server.port(), pingPongs)) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            List<Socket> idle = new ArrayList<>();
            List<Socket> holding = new ArrayList<>();
            try {
                for (int i = 0; i < idleCount; i++) {
                    idle.add(TcpClient.connect(server.port()));
                    ping(idle.get(i));
                }
                for (int i = 0; i < splitCount; i++) {
                    Socket socket = TcpClient.connect(server.port());
                    holding.add(socket);
                    socket.getOutputStream().write(concat("caf".getBytes(UTF_8), SPLIT_CHARACTERS.get(i % 6)[0]));
                    assertArrayEquals("CAF".getBytes(UTF_8), TcpClient.readExactly(socket, 3));
                }
                metrics.awaitSum(OPENED, total);

                rollAndAwaitNewWorkers(server);

                talking.awaitRoundsSince(talking.rounds(), 3, WAIT);
                for (Socket socket : idle) {
                    ping(socket);
                }
                for (int i = 0; i < splitCount; i++) {
                    byte[][] character = SPLIT_CHARACTERS.get(i % 6);
                    holding.get(i).getOutputStream().write(concat(character[1], "!\n".getBytes(UTF_8)));
                    byte[] whole = Reference.upper(concat(character[0], character[1], "!\n".getBytes(UTF_8)));
                    assertArrayEquals(whole, TcpClient.readExactly(holding.get(i), whole.length),
                            "client " + i + " got its character back whole");
                }
                metrics.await(MIGRATED, total);
                assertEquals(0.0, metrics.scrape().get(FELL_BACK));
                assertEquals(0.0, metrics.scrape().get(FAILED));
                assertEquals((double) total, metrics.sum(OPENED), "a moved client counted as opened again");
                assertEquals(List.of(), talking.failures());
            } finally {
                closeAll(idle);
                closeAll(holding);
            }
        }
    }

    @Test
    void fourStreamsOf64MiBGetEveryByteThroughARollingRestart() throws Exception {
        try (LeakCheckedServer server = start("migration-streams", 1)) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            List<Stream> streams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                streams.add(new Stream(TcpClient.connect(server.port()), new Random(i), 64L << 20));
            }
            try {
                Await.until("every stream 8 MiB on", WAIT, () -> streams.stream().allMatch(s -> s.verified.get() > 8L << 20));
                rollAndAwaitNewWorkers(server);
                for (Stream stream : streams) {
                    TcpClient.join(stream.done);
                }
                metrics.await(MIGRATED, 4);
            } finally {
                closeAll(streams.stream().map(s -> s.socket).toList());
            }
            server.stopAndAssertNoLeaks();
        }
    }

    @Test
    void aClientThatStoppedReadingFallsBackToADrainAndTheOthersMove() throws Exception {
        try (LeakCheckedServer server = start("migration-fallback", 1, "--migration-timeout", "2s",
                "--shutdown-timeout", "8s")) {
            try (PingPongs talking = PingPongs.start(server.port(), 10);
                    Socket stuck = notReading(server.port())) {
                MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
                byte[] sent = Reference.randomText(new Random(7), 8 << 20);
                writeInTheBackground(stuck, sent);
                awaitServerStoppedReading(server.port(), stuck);
                int from = server.log().size();

                List<Long> old = server.workerPids();
                Signals.send("HUP", server.pid());
                server.awaitLogAfter(from, "moved 10 connections to the new worker; 1 drain here instead");
                metrics.await(MIGRATED, 10);
                metrics.await(FELL_BACK, 1);

                // Drained as before: what it is owed, as far as the old worker read, then the end of the stream.
                byte[] received = stuck.getInputStream().readAllBytes();
                byte[] expected = Reference.upper(sent);
                assertTrue(received.length > 0 && received.length <= expected.length);
                assertArrayEquals(Arrays.copyOf(expected, received.length), received);
                Await.until("the old worker gone", WAIT, () -> server.workerPids().stream().noneMatch(old::contains));
                talking.awaitRoundsSince(talking.rounds(), 3, WAIT);
                assertEquals(List.of(), talking.failures());
            }
            server.stopAndAssertNoLeaks();
        }
    }

    @Test
    void connectionsHandedOverLiveOnWhenTheOldWorkerIsKilledMidMigration() throws Exception {
        // A stuck client keeps the old worker migrating long after the others moved.
        try (LeakCheckedServer server = start("migration-old-killed", 1, "--migration-timeout", "60s")) {
            try (PingPongs talking = PingPongs.start(server.port(), 10);
                    Socket stuck = notReading(server.port())) {
                MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
                writeInTheBackground(stuck, Reference.randomText(new Random(8), 8 << 20));
                awaitServerStoppedReading(server.port(), stuck);
                List<Long> old = server.workerPids();

                Signals.send("HUP", server.pid());
                metrics.await(MIGRATED, 10);
                assertTrue(old.stream().allMatch(pid -> ProcessHandle.of(pid).isPresent()), "the old worker still migrating");
                old.forEach(pid -> Signals.send("KILL", pid));

                Await.until("the old worker gone", WAIT, () -> server.workerPids().stream().noneMatch(old::contains));
                talking.awaitRoundsSince(talking.rounds(), 10, WAIT);
                assertEquals(List.of(), talking.failures());
            }
            server.stopAndAssertNoLeaks();
        }
    }

    @Test
    void connectionsSentToANewWorkerKilledBeforeAdoptingThemGoToAnother() throws Exception {
        try (LeakCheckedServer server = start("migration-new-killed", 1)) {
            try (PingPongs talking = PingPongs.start(server.port(), 10)) {
                MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
                talking.awaitRoundsSince(talking.rounds(), 3, WAIT);
                long old = server.workerPids().get(0);
                int from = server.log().size();

                long replacement = rollOntoAStoppedReplacement(server, old, from);
                int masterDescriptors = ProcFs.openFds(server.pid());
                Signals.send("CONT", old);
                Await.until("the master holding the ten connections sent to the stopped replacement", WAIT,
                        () -> ProcFs.openFds(server.pid()) >= masterDescriptors + 10);
                Signals.send("KILL", replacement);

                server.awaitLogAfter(from, "10 connections sent to a worker that is gone go to another");
                talking.awaitRoundsSince(talking.rounds(), 10, WAIT);
                assertEquals(List.of(), talking.failures());
                metrics.await(MIGRATED, 10);
                Await.until("the old worker gone", WAIT, () -> !server.workerPids().contains(old));
            }
            server.stopAndAssertNoLeaks();
        }
    }

    @Test
    void connectionsThatCouldNotMoveInTimeStayAndAreServedByTheOldWorker() throws Exception {
        int count = 300;
        // The patience (twice the migration timeout) runs out while the replacement, stopped,
        // adopts nothing; the drain's timeout leaves the old worker serving long after.
        try (LeakCheckedServer server = start("migration-patience", 1, "--migration-timeout", "1s",
                "--shutdown-timeout", "120s")) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    clients.add(TcpClient.connect(server.port()));
                    ping(clients.get(i));
                }
                long old = server.workerPids().get(0);
                int from = server.log().size();

                long replacement = rollOntoAStoppedReplacement(server, old, from);
                Signals.send("CONT", old);
                String summary = server.awaitLogAfter(from, "moved \\d+ connections to the new worker; \\d+ drain here");
                Signals.send("CONT", replacement);

                assertTrue(summary.endsWith("; 0 lost"), summary);
                for (int i = 0; i < count; i++) {
                    ping(clients.get(i));
                }
            } finally {
                closeAll(clients);
            }
            Await.until("the old worker gone", WAIT, () -> server.workerPids().size() == 1);
            server.stopAndAssertNoLeaks();
        }
    }

    @Test
    void tenRollingRestartsInARowUnderLoadLeaveNothingBehind() throws Exception {
        try (LeakCheckedServer server = start("migration-ten-rolls", 1)) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            ping(server.port());
            OpenDescriptors master = OpenDescriptors.count(List.of(server.pid()));
            int workerBaseline = ProcFs.openFds(server.workerPids().get(0));
            try (PingPongs talking = PingPongs.start(server.port(), 20)) {
                for (int roll = 1; roll <= 10; roll++) {
                    rollAndAwaitNewWorkers(server);
                    talking.awaitRoundsSince(talking.rounds(), 3, WAIT);
                    metrics.await(MIGRATED, 20 * roll);
                }
                assertEquals(List.of(), talking.failures());
            }
            master.awaitBackToThese(WAIT);
            long worker = server.workerPids().get(0);
            Await.until("the tenth worker's descriptors back to the first's " + workerBaseline, WAIT,
                    () -> ProcFs.openFds(worker) <= workerBaseline);
            assertEquals(0.0, metrics.scrape().get(FELL_BACK));
            server.stopAndAssertNoLeaks();
        }
    }

    @Test
    void workersRecycledByTheirConnectionCountFailNoClientAndIdleClientsStillTimeOut() throws Exception {
        try (LeakCheckedServer server = start("migration-recycling", 1, "--worker-max-connections", "1000",
                "--idle-timeout", "20s")) {
            AtomicBoolean churning = new AtomicBoolean(true);
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong churned = new AtomicLong();
            List<CompletableFuture<Void>> churn = new ArrayList<>();
            try (PingPongs talking = PingPongs.start(server.port(), 10);
                    Socket idle = TcpClient.connect(server.port())) {
                ping(idle);
                long first = server.workerPids().get(0);
                for (int t = 0; t < 4; t++) {
                    churn.add(CompletableFuture.runAsync(() -> {
                        while (churning.get()) {
                            try {
                                ping(server.port());
                                churned.incrementAndGet();
                            } catch (IOException | AssertionError e) {
                                failures.add(churned.get() + " connections in: " + e);
                            }
                        }
                    }));
                }
                // Its idle time starts while its worker's replacement boots: it moves idle, and must
                // still be closed by the new worker when its time is up, not given a fresh timeout.
                server.awaitLog("recycling worker-1 \\(pid " + first + "\\)");
                ping(idle);
                assertEquals(-1, idle.getInputStream().read(), "the idle client was sent something");
                String closed = server.awaitLog("closed 1 connections in the last second: idle");
                assertTrue(!closed.contains(":" + first + "/"), "closed before it moved: " + closed);
                Await.until("three recycles", WAIT, () -> {
                    assertEquals(List.of(), List.copyOf(failures));
                    return server.logSince(0, "retiring worker-1 .*: replaced by").size() >= 3;
                });
                talking.awaitRoundsSince(talking.rounds(), 3, WAIT);
                churning.set(false);
                for (CompletableFuture<Void> client : churn) {
                    TcpClient.join(client);
                }
                assertEquals(List.of(), List.copyOf(failures));
                assertEquals(List.of(), talking.failures());
                // The last recycle may still be under way, its old worker exiting: the leak check
                // must find only the worker that serves.
                Await.until("the last recycle done and its old worker gone", WAIT,
                        () -> server.logSince(0, "rolling restart done").size()
                                == server.logSince(0, "recycling worker-1 ").size()
                                && server.workerPids().size() == 1);
            } finally {
                churning.set(false);
            }
            server.stopAndAssertNoLeaks();
        }
    }

    /** SIGHUP, then waits until every worker the server had has exited and as many new ones serve. */
    /**
     * SIGHUP to a server of one worker, {@code old}: the old worker waits, stopped, while its
     * replacement boots, and the replacement is stopped in turn once ready, so that whatever the
     * old one moves once continued ({@code SIGCONT}, the caller's) reaches it unadopted. Returns
     * the replacement's pid; {@code from} is the log's length before.
     */
    private static long rollOntoAStoppedReplacement(LeakCheckedServer server, long old, int from) {
        Signals.send("HUP", server.pid());
        long replacement = Await.value("the replacement started", WAIT, () -> server.workerPids().stream()
                .filter(pid -> pid != old).findFirst().orElse(null));
        Signals.send("STOP", old);
        server.awaitLogAfter(from, "retiring worker-1 \\(pid " + old + "\\): replaced by worker-1 \\(pid "
                + replacement + "\\)");
        Signals.send("STOP", replacement);
        return replacement;
    }

    private static void rollAndAwaitNewWorkers(LeakCheckedServer server) {
        List<Long> before = server.workerPids();
        Signals.send("HUP", server.pid());
        Await.until("only new workers", WAIT, () -> {
            List<Long> now = server.workerPids();
            return now.size() == before.size() && now.stream().noneMatch(before::contains);
        });
    }

    private static void ping(Socket socket) throws IOException {
        socket.getOutputStream().write("ping\n".getBytes(UTF_8));
        assertArrayEquals("PING\n".getBytes(UTF_8), TcpClient.readExactly(socket, 5));
    }

    private static void ping(int port) throws IOException {
        try (Socket socket = TcpClient.connect(port)) {
            ping(socket);
        }
    }

    /** A client with a small receive buffer, so that what it does not read soon stays owed in the server. */
    private static Socket notReading(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port), TcpClient.CONNECT_TIMEOUT_MILLIS);
        socket.setSoTimeout(TcpClient.READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** The write blocks once the server stops reading: it ends when the server reads again or the socket closes. */
    private static void writeInTheBackground(Socket socket, byte[] bytes) {
        CompletableFuture.runAsync(() -> {
            try {
                socket.getOutputStream().write(bytes);
            } catch (IOException closed) {
                // The test is over with this client.
            }
        });
    }

    /**
     * Waits until the server holds bytes of the client's unread, and reads no more of them for ten
     * looks in a row: backpressure stopped it, since it owes the client more than it can write.
     */
    private static void awaitServerStoppedReading(int port, Socket client) {
        long[] last = {-1};
        int[] unchanged = {0};
        Await.until("the server to stop reading from the client", WAIT, () -> {
            long unread = ProcNetTcp.sockets().stream()
                    .filter(row -> row.local().getPort() == port && row.remote().getPort() == client.getLocalPort())
                    .mapToLong(ProcNetTcp.Row::receiveQueue).sum();
            unchanged[0] = unread > 0 && unread == last[0] ? unchanged[0] + 1 : 0;
            last[0] = unread;
            return unchanged[0] >= 10;
        });
    }

    private static byte[][] split(String character, int held) {
        byte[] bytes = character.getBytes(UTF_8);
        return new byte[][] {Arrays.copyOf(bytes, held), Arrays.copyOfRange(bytes, held, bytes.length)};
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /**
     * One client streaming {@code total} bytes of text while it reads and checks every byte of
     * the reply; the text is a few blocks repeated, each block's reply known in advance.
     */
    private static final class Stream {
        private static final int BLOCKS = 8;

        final Socket socket;
        final AtomicLong verified = new AtomicLong();
        final CompletableFuture<Void> done;

        Stream(Socket socket, Random random, long total) {
            this.socket = socket;
            byte[][] blocks = new byte[BLOCKS][];
            byte[][] replies = new byte[BLOCKS][];
            for (int i = 0; i < BLOCKS; i++) {
                blocks[i] = Reference.randomText(random, 64 * 1024);
                replies[i] = Reference.upper(blocks[i]);
            }
            long count = total / (64 * 1024);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (long n = 0; n < count; n++) {
                        out.write(blocks[(int) (n % BLOCKS)]);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[64 * 1024];
                    long n = 0;
                    int at = 0;
                    while (n < count) {
                        int read = in.read(buffer);
                        if (read < 0) {
                            throw new AssertionError("the stream ended after " + verified.get() + " bytes");
                        }
                        for (int i = 0; i < read; i++) {
                            byte[] reply = replies[(int) (n % BLOCKS)];
                            if (buffer[i] != reply[at]) {
                                throw new AssertionError("a wrong byte at " + (verified.get() + i));
                            }
                            if (++at == reply.length) {
                                at = 0;
                                n++;
                            }
                        }
                        verified.addAndGet(read);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            done = CompletableFuture.allOf(writing, reading);
        }
    }
}
