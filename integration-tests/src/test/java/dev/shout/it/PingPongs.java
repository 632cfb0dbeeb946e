package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Well-behaved clients: connections that each send a random line of text and check the
 * uppercased reply byte for byte, over and over on their own threads, until closed. Tests run
 * them beside a misbehaving client, whose misbehaviour must not disturb them.
 */
final class PingPongs implements AutoCloseable {

    private static final int MAX_LINE = 2048;

    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicIntegerArray rounds;
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads;
    private volatile boolean closing;

    private PingPongs(int count) {
        rounds = new AtomicIntegerArray(count);
        threads = Executors.newFixedThreadPool(count);
    }

    /** Connects {@code count} clients to an uppercasing server and sets them talking. */
    static PingPongs start(int port, int count) throws IOException {
        PingPongs clients = new PingPongs(count);
        try {
            for (int i = 0; i < count; i++) {
                clients.sockets.add(TcpClient.connect(port));
            }
        } catch (IOException e) {
            clients.close();
            throw e;
        }
        for (int i = 0; i < count; i++) {
            int client = i;
            clients.threads.execute(() -> clients.talk(client));
        }
        return clients;
    }

    private void talk(int client) {
        Socket socket = sockets.get(client);
        Random random = new Random(client);
        try {
            while (!closing) {
                byte[] line = Reference.randomText(random, 1 + random.nextInt(MAX_LINE));
                byte[] expected = Reference.upper(line);
                socket.getOutputStream().write(line);
                if (!Arrays.equals(expected, TcpClient.readExactly(socket, expected.length))) {
                    failures.add("client " + client + ": a wrong reply in round " + (rounds.get(client) + 1));
                    return;
                }
                rounds.incrementAndGet(client);
            }
        } catch (IOException e) {
            if (!closing) {
                failures.add("client " + client + " after " + rounds.get(client) + " rounds: " + e);
            }
        }
    }

    /** Round trips each client has completed so far. */
    int[] rounds() {
        int[] now = new int[rounds.length()];
        Arrays.setAll(now, rounds::get);
        return now;
    }

    /** Waits until every client has completed {@code more} rounds since {@code since}, a {@link #rounds()}. */
    void awaitRoundsSince(int[] since, int more, Duration timeout) {
        Await.until("every client " + more + " rounds on", timeout, () -> {
            if (!failures.isEmpty()) {
                throw new AssertionError("clients failed: " + failures);
            }
            return allAhead(since, rounds(), more);
        });
    }

    /** Whether every client's count in {@code now} is at least {@code more} above its count in {@code since}. */
    static boolean allAhead(int[] since, int[] now, int more) {
        for (int i = 0; i < now.length; i++) {
            if (now[i] < since[i] + more) {
                return false;
            }
        }
        return true;
    }

    /** What went wrong: a wrong reply or a connection lost; empty while all is well. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        closing = true;
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        threads.shutdownNow();
    }
}
