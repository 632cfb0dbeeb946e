package dev.shout.server.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's list of TCP sockets, /proc/net/tcp and /proc/net/tcp6, read in one place: by
 * {@link AcceptQueue}, by the black-box tests that find which worker holds a connection, and by
 * the soak driver.
 */
public final class ProcNetTcp {

    /** The {@code st} column of a listening socket (TCP_LISTEN). */
    private static final int LISTEN = 0x0A;
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private ProcNetTcp() {
    }

    /**
     * One socket.
     *
     * @param state the kernel's TCP state ({@code 0x0A}: listening)
     * @param receiveQueue bytes not yet read; of a listening socket, the connections waiting to be accepted
     * @param inode what {@code /proc/PID/fd} links to as {@code socket:[inode]}, for the process holding it
     */
    public record Row(InetSocketAddress local, InetSocketAddress remote, int state, long receiveQueue, long inode) {
    }

    /** Every TCP socket of this network namespace; none where there is no such table (not Linux, no IPv6). */
    public static List<Row> sockets() {
        return read(false);
    }

    /**
     * The listening sockets only. The kernel lists them first, before every other socket (its
     * listening hash, then its established one), so the reading stops at the first that is not
     * listening: a scrape must not read and parse a line per connection on the master's loop,
     * which at 100,000 connections took seconds and starved the workers' heartbeats.
     */
    public static List<Row> listening() {
        return read(true);
    }

    private static List<Row> read(boolean listeningOnly) {
        List<Row> rows = new ArrayList<>();
        for (Path table : TABLES) {
            try (BufferedReader lines = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
                // The first line names the columns:
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                lines.readLine();
                for (String line; (line = lines.readLine()) != null; ) {
                    String[] fields = line.trim().split("\\s+");
                    if (listeningOnly && Integer.parseInt(fields[3], 16) != LISTEN) {
                        break;
                    }
                    rows.add(parse(fields));
                }
            } catch (NoSuchFileException absent) {
                // nothing of this family to see
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    private static Row parse(String[] fields) {
        String queues = fields[4];
        return new Row(address(fields[1]), address(fields[2]), Integer.parseInt(fields[3], 16),
                Long.parseLong(queues.substring(queues.indexOf(':') + 1), 16), Long.parseLong(fields[9]));
    }

    /**
     * {@code 0100007F:1F90} is 127.0.0.1:8080: the address is printed as 32-bit words in the
     * machine's byte order, the port as one number. IPv4 addresses mapped into IPv6 come back as IPv4.
     */
    private static InetSocketAddress address(String field) {
        int colon = field.indexOf(':');
        ByteBuffer bytes = ByteBuffer.allocate(colon / 2).order(ByteOrder.nativeOrder());
        for (int word = 0; word < colon; word += 8) {
            bytes.putInt((int) Long.parseLong(field.substring(word, word + 8), 16));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes.array()),
                    Integer.parseInt(field.substring(colon + 1), 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address in /proc/net/tcp: " + field, e);
        }
    }
}
