import static java.nio.charset.StandardCharsets.UTF_8;

import dev.shout.server.metrics.ProcNetTcp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The soak's load and its bookkeeping (run by bench/soak.sh: {@code java -cp shout-server.jar
 * bench/SoakDriver.java --port P --master PID --seconds N --kill-every S}; the server jar lends it
 * the server's reader of /proc/net/tcp). Against a process-mode server on
 * 127.0.0.1 it keeps ping-pong connections, streaming connections and connect/close loops busy,
 * checking every reply byte against {@code String.toUpperCase(Locale.ROOT)}; every
 * {@code --kill-every} seconds it notes which of its connections the chosen worker holds (from
 * /proc/net/tcp and the worker's descriptors) and kills that worker with SIGKILL.
 *
 * <p>A connection that ends before its reply is complete is lost; it counts against a kill if
 * the killed worker held it, or if it was open at the kill and ended within {@link #KILL_WINDOW_MS}
 * of it without being seen on any worker (opened between the look and the kill, or a
 * connect/close cycle too short to be seen). Any other loss, and any byte that differs from its
 * reference, fails the soak (exit 1).
 */
public final class SoakDriver {

    private static final long KILL_WINDOW_MS = 3_000;
    private static final int MAX_MESSAGE = 8 << 10;
    private static final int MAX_STREAM = 8 << 20;
    /** Code points with case mappings, some of them longer uppercased (ß, ŉ, ﬃ, ΐ), across scripts and planes. */
    private static final int[] LETTERS = "aàßŉǰΐεжաᾳﬃ𐐨ꞵ".codePoints().toArray();

    private final int port;
    private final long master;
    private final long deadline;
    private final AtomicLong verifiedBytes = new AtomicLong();
    private final AtomicLong corruptedBytes = new AtomicLong();
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong streams = new AtomicLong();
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    /** Open connections by their local port, with the time each was opened. */
    private final Map<Integer, Long> open = new ConcurrentHashMap<>();
    private final List<Loss> losses = new CopyOnWriteArrayList<>();
    private final List<Kill> kills = new CopyOnWriteArrayList<>();

    private record Loss(int localPort, long openedAt, long lostAt, String how) {
    }

    /** A kill: when, which pid, and the local ports of the connections it held just before. */
    private record Kill(long at, long pid, Set<Integer> held, Set<Integer> elsewhere) {
    }

    private SoakDriver(int port, long master, long seconds) {
        this.port = port;
        this.master = master;
        this.deadline = System.currentTimeMillis() + seconds * 1000;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>(Map.of("--pingpongs", "40", "--streams", "6", "--churners", "4",
                "--kill-every", "30"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--port", "--master", "--seconds")) {
            if (!flags.containsKey(required)) {
                System.err.println("usage: java SoakDriver.java --port P --master PID --seconds N [--kill-every S]"
                        + " [--pingpongs N] [--streams N] [--churners N]");
                System.exit(2);
            }
        }
        SoakDriver soak = new SoakDriver(Integer.parseInt(flags.get("--port")), Long.parseLong(flags.get("--master")),
                Long.parseLong(flags.get("--seconds")));
        System.exit(soak.run(Integer.parseInt(flags.get("--pingpongs")), Integer.parseInt(flags.get("--streams")),
                Integer.parseInt(flags.get("--churners")), Long.parseLong(flags.get("--kill-every"))));
    }

    private int run(int pingpongs, int streamers, int churners, long killEverySeconds) throws Exception {
        long rssAtStart = rssKb(master);
        System.out.printf("soak: %d s against 127.0.0.1:%d (master pid %d): %d ping-pong and %d streaming"
                        + " connections, %d connect/close loops; a worker killed every %d s%n",
                (deadline - System.currentTimeMillis() + 999) / 1000, port, master, pingpongs, streamers, churners,
                killEverySeconds);
        ExecutorService load = Executors.newFixedThreadPool(pingpongs + streamers + churners);
        for (int i = 0; i < pingpongs; i++) {
            int seed = i;
            load.execute(() -> keepGoing(seed, this::pingPong));
        }
        for (int i = 0; i < streamers; i++) {
            int seed = 1_000 + i;
            load.execute(() -> keepGoing(seed, this::stream));
        }
        for (int i = 0; i < churners; i++) {
            int seed = 2_000 + i;
            load.execute(() -> keepGoing(seed, this::churn));
        }
        long start = System.currentTimeMillis();
        for (long next = start + killEverySeconds * 1000; next < deadline; next += killEverySeconds * 1000) {
            Thread.sleep(next - System.currentTimeMillis()); // the soak's clock: a kill every period
            killAWorker(start);
        }
        Thread.sleep(Math.max(0, deadline - System.currentTimeMillis()));
        load.shutdownNow();
        load.awaitTermination(30, TimeUnit.SECONDS);
        return report(rssAtStart, rssKb(master));
    }

    // ---- load ---------------------------------------------------------------------------------

    private interface Client {
        void run(Random random) throws IOException;
    }

    /** Runs one client's connections back to back until the deadline, noting each lost one. */
    private void keepGoing(int seed, Client client) {
        Random random = new Random(seed);
        while (System.currentTimeMillis() < deadline && !Thread.currentThread().isInterrupted()) {
            try {
                client.run(random);
            } catch (Lost lost) {
                losses.add(lost.loss);
            } catch (IOException e) {
                losses.add(new Loss(-1, System.currentTimeMillis(), System.currentTimeMillis(), "connect: " + e));
            }
        }
    }

    /** A connection ended early; what came before was checked. */
    private static final class Lost extends IOException {
        private static final long serialVersionUID = 1L;
        final transient Loss loss;

        Lost(Loss loss) {
            super(loss.how);
            this.loss = loss;
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        opened.incrementAndGet();
        open.put(socket.getLocalPort(), System.currentTimeMillis());
        return socket;
    }

    private Lost lost(Socket socket, String how) {
        Long openedAt = open.remove(socket.getLocalPort());
        return new Lost(new Loss(socket.getLocalPort(), openedAt == null ? 0 : openedAt, System.currentTimeMillis(), how));
    }

    /** One connection's exchange; returns when it is complete, throws if the connection ended early. */
    private interface Conversation {
        void run(Socket socket) throws IOException;
    }

    /** Opens a connection, runs {@code conversation} on it and closes it; a connection that ends early is lost. */
    private void converse(String kind, Conversation conversation) throws IOException {
        Socket socket = connect();
        try (socket) {
            conversation.run(socket);
            open.remove(socket.getLocalPort());
        } catch (IOException e) {
            throw lost(socket, kind + ": " + e);
        }
    }

    /** Messages of up to 8 KiB one after another on one connection, each reply checked, for up to a minute. */
    private void pingPong(Random random) throws IOException {
        converse("ping-pong", socket -> {
            long until = Math.min(deadline, System.currentTimeMillis() + 60_000);
            while (System.currentTimeMillis() < until && !Thread.currentThread().isInterrupted()) {
                Text message = text(random, 1 + random.nextInt(MAX_MESSAGE));
                socket.getOutputStream().write(message.bytes());
                receive(socket.getInputStream(), message.upper());
                roundTrips.incrementAndGet();
            }
        });
    }

    /** Up to 8 MiB written in random pieces while the reply is read, then a half-close; the whole reply checked. */
    private void stream(Random random) throws IOException {
        Text text = text(random, random.nextInt(MAX_STREAM));
        converse("stream", socket -> {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int at = 0; at < text.bytes().length; ) {
                        int piece = Math.min(text.bytes().length - at, 1 + random.nextInt(64 << 10));
                        out.write(text.bytes(), at, piece);
                        at += piece;
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    // the reader sees the connection end
                }
            }, "stream-writer");
            writer.setDaemon(true);
            writer.start();
            receive(socket.getInputStream(), text.upper());
            if (socket.getInputStream().read() != -1) {
                throw new IOException("more than the reply");
            }
            streams.incrementAndGet();
        });
    }

    /** Connect, one short message, its reply, close. */
    private void churn(Random random) throws IOException {
        converse("churn", socket -> {
            Text message = text(random, 1 + random.nextInt(64));
            socket.getOutputStream().write(message.bytes());
            receive(socket.getInputStream(), message.upper());
            cycles.incrementAndGet();
        });
    }

    /**
     * Reads {@code expected.length} bytes, counting each one that differs as corrupted and each one
     * that matches as verified; throws if the connection ends first.
     */
    private void receive(InputStream in, byte[] expected) throws IOException {
        byte[] buffer = new byte[64 << 10];
        int at = 0;
        while (at < expected.length) {
            int n = in.read(buffer, 0, Math.min(buffer.length, expected.length - at));
            if (n < 0) {
                throw new IOException("the reply ended after " + at + " of " + expected.length + " bytes");
            }
            int wrong = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] != expected[at + i]) {
                    wrong++;
                }
            }
            corruptedBytes.addAndGet(wrong);
            verifiedBytes.addAndGet(n - wrong);
            at += n;
        }
    }

    /** About {@code size} bytes of text and, as the server must send it back, its uppercase. */
    private record Text(byte[] bytes, byte[] upper) {
    }

    /**
     * Uppercased a character at a time: {@code String.toUpperCase} of a whole megabyte of text
     * with many ß or ﬃ in it takes quadratic time, growing its result one expansion at a time.
     */
    private static Text text(Random random, int size) {
        ByteArrayOutputStream text = new ByteArrayOutputStream(size + 4);
        ByteArrayOutputStream upper = new ByteArrayOutputStream(size + size / 4);
        while (text.size() < size) {
            String character = Character.toString(
                    random.nextInt(3) == 0 ? LETTERS[random.nextInt(LETTERS.length)] : 0x20 + random.nextInt(0x5F));
            text.writeBytes(character.getBytes(UTF_8));
            upper.writeBytes(character.toUpperCase(Locale.ROOT).getBytes(UTF_8));
        }
        return new Text(text.toByteArray(), upper.toByteArray());
    }

    // ---- kills --------------------------------------------------------------------------------

    private void killAWorker(long start) throws IOException {
        List<ProcessHandle> workers = ProcessHandle.of(master).map(m -> m.children().toList()).orElse(List.of());
        if (workers.isEmpty()) {
            System.out.printf("%4d s: no worker to kill (the master is gone?)%n", (System.currentTimeMillis() - start) / 1000);
            return;
        }
        Map<Integer, Long> servedBy = servingPids(workers);
        // The worker holding most of our connections, so that every kill costs some.
        ProcessHandle victim = workers.stream().max((a, b) -> Long.compare(
                servedBy.values().stream().filter(pid -> pid == a.pid()).count(),
                servedBy.values().stream().filter(pid -> pid == b.pid()).count())).orElseThrow();
        Set<Integer> held = new HashSet<>();
        Set<Integer> elsewhere = new HashSet<>();
        servedBy.forEach((localPort, pid) -> (pid == victim.pid() ? held : elsewhere).add(localPort));
        victim.destroyForcibly(); // SIGKILL
        kills.add(new Kill(System.currentTimeMillis(), victim.pid(), held, elsewhere));
        System.out.printf("%4d s: killed worker pid %d, which held %d of our %d connections seen on workers%n",
                (System.currentTimeMillis() - start) / 1000, victim.pid(), held.size(), servedBy.size());
    }

    /** For each of our open connections, the worker holding its server end, found through socket inodes. */
    private Map<Integer, Long> servingPids(List<ProcessHandle> workers) throws IOException {
        Map<String, Integer> inodeToClientPort = new HashMap<>();
        for (ProcNetTcp.Row row : ProcNetTcp.sockets()) {
            if (row.local().getPort() == port && open.containsKey(row.remote().getPort())) {
                inodeToClientPort.put("socket:[" + row.inode() + "]", row.remote().getPort());
            }
        }
        Map<Integer, Long> servedBy = new HashMap<>();
        for (ProcessHandle worker : workers) {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(worker.pid()), "fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    try {
                        Integer clientPort = inodeToClientPort.get(Files.readSymbolicLink(fd).toString());
                        if (clientPort != null) {
                            servedBy.put(clientPort, worker.pid());
                        }
                    } catch (NoSuchFileException closedMeanwhile) {
                        // the descriptor went away while we looked
                    }
                }
            } catch (NoSuchFileException exited) {
                // the worker is gone already
            }
        }
        return servedBy;
    }

    // ---- report -------------------------------------------------------------------------------

    private int report(long rssAtStartKb, long rssAtEndKb) {
        int onKilled = 0;
        int aroundKill = 0;
        List<Loss> unexplained = new ArrayList<>();
        for (Loss loss : losses) {
            Kill kill = kills.stream().filter(k -> k.at() <= loss.lostAt() && loss.lostAt() - k.at() <= KILL_WINDOW_MS)
                    .reduce((first, second) -> second).orElse(null);
            if (kill != null && kill.held().contains(loss.localPort())) {
                onKilled++;
            } else if (kill != null && loss.openedAt() <= kill.at() && !kill.elsewhere().contains(loss.localPort())) {
                aroundKill++;
            } else {
                unexplained.add(loss);
            }
        }
        int held = kills.stream().mapToInt(k -> k.held().size()).sum();
        System.out.printf("kills:             %d (worker pids %s)%n", kills.size(),
                kills.stream().map(k -> Long.toString(k.pid())).toList());
        System.out.printf("connections:       %d opened; %d ping-pong round trips, %d streams, %d connect/close"
                + " cycles completed%n", opened.get(), roundTrips.get(), streams.get(), cycles.get());
        System.out.printf("bytes verified:    %.1f MiB%n", verifiedBytes.get() / 1048576.0);
        System.out.printf("corrupted bytes:   %d%n", corruptedBytes.get());
        System.out.printf("connections lost:  %d: %d held by a killed worker (of %d it held), %d open at a kill and"
                + " not seen on a worker, %d otherwise%n", losses.size(), onKilled, held, aroundKill, unexplained.size());
        unexplained.stream().limit(10).forEach(loss -> System.out.println("  lost otherwise: " + loss));
        System.out.printf("master RSS:        %.1f MiB at the start, %.1f MiB at the end%n",
                rssAtStartKb / 1024.0, rssAtEndKb / 1024.0);
        boolean pass = corruptedBytes.get() == 0 && unexplained.isEmpty();
        System.out.println("verdict:           " + (pass ? "PASS" : "FAIL"));
        return pass ? 0 : 1;
    }

    private static long rssKb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst().orElse(0);
        } catch (IOException gone) {
            return 0;
        }
    }
}
