package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients that end badly, hundreds of each kind: reset mid-write or mid-reply (SO_LINGER 0,
 * then close), connect and leave without a byte, half-close at once, or make empty writes.
 * Afterwards the server has logged no warning or error, holds no more descriptors than before,
 * and serves byte for byte.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HardeningAbruptPeersTest {

    private static final int PEERS = 300;
    private static final int AT_ONCE = 8;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CHUNK = 64 << 10;

    @RegisterExtension
    static final Servers servers = new Servers("abrupt-peers");

    /** How a client ends; {@code n} numbers the client, for its random payload. */
    enum Peer {
        RESETS_MID_WRITE {
            @Override
            void run(int port, int n) throws IOException {
                try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                    channel.configureBlocking(false);
                    ByteBuffer chunk = ByteBuffer.wrap(Reference.randomText(new Random(n), CHUNK));
                    for (int sent = 0; sent < 16 * CHUNK && channel.write(chunk.rewind()) > 0; sent += CHUNK) {
                        // as much as the socket takes at once, up to 1 MiB, never reading the reply
                    }
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
            }
        },
        RESETS_MID_REPLY {
            @Override
            void run(int port, int n) throws IOException {
                try (Socket socket = TcpClient.connect(port)) {
                    socket.getOutputStream().write(Reference.randomText(new Random(n), 4 * CHUNK));
                    TcpClient.readExactly(socket, 1);
                    socket.setSoLinger(true, 0);
                }
            }
        },
        LEAVES_WITHOUT_A_BYTE {
            @Override
            void run(int port, int n) throws IOException {
                TcpClient.connect(port).close();
            }
        },
        HALF_CLOSES_AT_ONCE {
            @Override
            void run(int port, int n) throws IOException {
                try (Socket socket = TcpClient.connect(port)) {
                    socket.shutdownOutput();
                    assertEquals(-1, socket.getInputStream().read(), "owed nothing, sent nothing");
                }
            }
        },
        WRITES_NOTHING_THEN_PINGS {
            @Override
            void run(int port, int n) throws IOException {
                try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                    for (int i = 0; i < 3; i++) {
                        channel.write(ByteBuffer.allocate(0));
                    }
                    channel.write(ByteBuffer.wrap("ping\n".getBytes(UTF_8)));
                    ByteBuffer reply = ByteBuffer.allocate(5);
                    while (reply.hasRemaining() && channel.read(reply) >= 0) {
                        // until the whole reply is in
                    }
                    assertEquals("PING\n", new String(reply.array(), UTF_8));
                }
            }
        };

        abstract void run(int port, int n) throws IOException;
    }

    /** Every mode and peer but the one that finds a bug, which has a test of its own below. */
    static Stream<Arguments> modesAndPeers() {
        return Stream.of(ServerMode.values())
                .flatMap(mode -> Stream.of(Peer.values()).map(peer -> Arguments.of(mode, peer)))
                .filter(args -> !(args.get()[0] == ServerMode.PROCESS && args.get()[1] == Peer.RESETS_MID_WRITE));
    }

    @ParameterizedTest(name = "{0} mode, {1}")
    @MethodSource("modesAndPeers")
    void peersEndingBadlyLeaveNoErrorsNoDescriptorsAndServiceIntact(ServerMode mode, Peer peer) throws Exception {
        assertPeersLeaveNothingBehind(servers.get(mode), peer);
    }

    @Test
    void clientsResettingBeforeAWorkerAdoptsTheirConnectionLeaveNothingBehindInProcessMode() throws Exception {
        assertPeersLeaveNothingBehind(servers.get(ServerMode.PROCESS), Peer.RESETS_MID_WRITE);
    }

    private static void assertPeersLeaveNothingBehind(LeakCheckedServer server, Peer peer) throws Exception {
        int port = server.port();
        ManyClients.run(50, AT_ONCE, n -> TcpClient.exchange(port, "warm up\n".getBytes(UTF_8), new Random(n)));
        OpenDescriptors before = OpenDescriptors.count(server.pids());
        int logged = server.log().size();

        ManyClients.run(PEERS, AT_ONCE, n -> peer.run(port, n));

        before.awaitBackToThese(WAIT);
        assertEquals(List.of(), server.problemsSince(logged), "warnings or errors after " + PEERS + " peers " + peer);
        byte[] payload = Reference.randomText(new Random(peer.ordinal()), 1 << 20);
        assertArrayEquals(Reference.upper(payload), TcpClient.exchange(port, payload, new Random(0)));
    }
}
