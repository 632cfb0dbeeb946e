package dev.shout.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Read from this machine's own tables, with sockets the tests open on loopback. */
@Timeout(10)
class ProcNetTcpTest {

    private static final int ESTABLISHED = 0x01;
    private static final int LISTEN = 0x0A;

    @Test
    void aListeningSocketIsListedWithItsAddressAndPort() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ProcNetTcp.Row row = only(ProcNetTcp.listening(), listener.getLocalPort());
            assertEquals(new InetSocketAddress("127.0.0.1", listener.getLocalPort()), row.local());
            assertEquals(LISTEN, row.state());
            assertTrue(row.inode() > 0);
        }
    }

    @Test
    void anIpv6AddressIsReadWordByWord() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("::1"))) {
            assertEquals(new InetSocketAddress("::1", listener.getLocalPort()),
                    only(ProcNetTcp.listening(), listener.getLocalPort()).local());
        }
    }

    @Test
    void aConnectionIsListedButNotAmongTheListeningSockets() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket server = listener.accept()) {
            List<ProcNetTcp.Row> sockets = ProcNetTcp.sockets();
            ProcNetTcp.Row serverEnd = only(sockets.stream()
                    .filter(row -> row.remote().equals(client.getLocalSocketAddress())).toList(), listener.getLocalPort());
            assertEquals(ESTABLISHED, serverEnd.state());
            assertEquals(client.getRemoteSocketAddress(), serverEnd.local());
            assertEquals(1, ProcNetTcp.listening().stream()
                    .filter(row -> row.local().getPort() == listener.getLocalPort()).count());
        }
    }

    /** The one row whose local port is {@code port}. */
    private static ProcNetTcp.Row only(List<ProcNetTcp.Row> rows, int port) {
        List<ProcNetTcp.Row> matching = rows.stream().filter(row -> row.local().getPort() == port).toList();
        assertEquals(1, matching.size(), () -> "rows on port " + port + ": " + matching);
        return matching.get(0);
    }
}
