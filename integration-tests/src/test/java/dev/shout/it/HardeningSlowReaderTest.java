package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that sends without ever reading: the server must stop reading from it once it owes
 * it {@code --max-pending-bytes}, close it after {@code --write-timeout}, and meanwhile go on
 * serving everyone else with no more memory than it had.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HardeningSlowReaderTest {

    private static final long ONE_GIB = 1L << 30;
    private static final long MEMORY_ALLOWANCE = 64L << 20;
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int OTHER_CLIENTS = 50;

    /**
     * Heaps of a fixed size, touched when the JVM starts: resident memory then shows what the
     * server buffers, not the garbage collector growing its heap under the other clients' load.
     * Netty's direct memory is capped at the heap size, more than the allowance.
     */
    private static final String FIXED_HEAP = "-Xms128m -Xmx128m -XX:+AlwaysPreTouch";

    @RegisterExtension
    static final Servers servers = new Servers("slow-reader", List.of(FIXED_HEAP.split(" ")),
            "--write-timeout", "3s", "--worker-jvm-opts", FIXED_HEAP, "--metrics-port", "0");

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void slowReaderCannotGrowServerMemory(ServerMode mode) throws Exception {
        LeakCheckedServer server = servers.get(mode);
        TimeoutCloses closes = TimeoutCloses.before(server);
        List<Long> pids = server.pids();
        try (PingPongs others = PingPongs.start(server.port(), OTHER_CLIENTS)) {
            others.awaitRoundsSince(others.rounds(), 20, WAIT);
            long before = ProcessMemory.totalRssBytes(pids);
            int[] roundsBefore = others.rounds();
            long start = System.nanoTime();

            AtomicLong peak = new AtomicLong(before);
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(ProcessMemory.totalRssBytes(pids), Math::max),
                    0, 50, TimeUnit.MILLISECONDS);
            long written;
            try {
                written = writeWithoutReading(server.port(), ONE_GIB, WAIT);
            } finally {
                sampler.shutdownNow();
            }
            Duration open = Duration.ofNanos(System.nanoTime() - start);
            int[] roundsWhileOpen = others.rounds();
            long after = ProcessMemory.totalRssBytes(pids);

            System.out.printf("%s mode: server RSS %s before, %s at most while a client wrote %s without reading,"
                    + " %s after; the client was closed after %d ms%n", mode, ProcessMemory.mib(before),
                    ProcessMemory.mib(peak.get()), ProcessMemory.mib(written), ProcessMemory.mib(after), open.toMillis());
            assertTrue(written <= mostBufferedWhileNotReading(), "the server kept reading from a client that read"
                    + " nothing: it took " + ProcessMemory.mib(written));
            assertTrue(open.compareTo(WRITE_TIMEOUT) >= 0, "closed after " + open + ", before --write-timeout");
            closes.awaitSummary("read nothing for 3s while owed more than 65536 bytes \\(--write-timeout\\)");
            assertTrue(peak.get() - before <= MEMORY_ALLOWANCE, "server RSS grew from " + ProcessMemory.mib(before)
                    + " to " + ProcessMemory.mib(peak.get()));
            assertTrue(PingPongs.allAhead(roundsBefore, roundsWhileOpen, 10),
                    "some client made fewer than 10 round trips while the slow reader was open");
            others.awaitRoundsSince(roundsWhileOpen, 10, WAIT);
            assertEquals(List.of(), others.failures());
            closes.awaitCounted("write");
        }
    }

    /**
     * What a client can write to a server that stopped reading from it: the kernel's buffers in
     * both directions at their largest (tcp_rmem, tcp_wmem), what the server owes before it
     * stops ({@code --max-pending-bytes}) and one read more.
     */
    private static long mostBufferedWhileNotReading() {
        return 2 * (KernelBuffers.largestReceiveBuffer() + KernelBuffers.largestSendBuffer()) + 2 * 65_536;
    }

    /**
     * Writes up to {@code limit} bytes, never reading, until the server closes the connection
     * (a write fails) or {@code timeout} passes; returns the bytes written.
     */
    private static long writeWithoutReading(int port, long limit, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer chunk = ByteBuffer.wrap(Reference.randomText(new Random(1), 1 << 16));
        long written = 0;
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_WRITE);
            while (written < limit) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the server did not close a client that read nothing within "
                            + timeout + " (" + written + " bytes written)");
                }
                selector.select(100); // until the socket can take more, or has failed
                selector.selectedKeys().clear();
                if (!chunk.hasRemaining()) {
                    chunk.rewind();
                }
                try {
                    written += channel.write(chunk);
                } catch (IOException closedByServer) {
                    return written;
                }
            }
        }
        return written;
    }
}
