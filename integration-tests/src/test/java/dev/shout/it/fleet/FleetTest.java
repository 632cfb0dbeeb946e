package dev.shout.it.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.shout.it.Reference;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three shout hosts behind HAProxy, run from {@code deploy/haproxy/haproxy.cfg}: every client is
 * served byte for byte and known to its host by its own address, limited per address as itself,
 * not as the balancer; a host lost (killed, or cut off) is marked down by the checks and routed
 * around while the others keep their connections; and a rolling deploy through HAProxy's runtime
 * API fails no connection. Each test uses client addresses of its own (127.0.N.x), and leaves the
 * fleet whole for the next ({@link Fleet#restore}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FleetTest {

    private static final int LIMIT = 2;
    private static final Duration WAIT = Fleet.WAIT;

    @RegisterExtension
    static final Fleet fleet = new Fleet("fleet", List.of(Tools.FLEET), Map.of(),
            "--max-connections-per-ip", Integer.toString(LIMIT));

    @AfterEach
    void noHostFailedAConnectionAndTheFleetIsWholeAgain() {
        try {
            assertEquals(List.of(), fleet.unexpectedErrors(), "connections closed after an unexpected error");
        } finally {
            fleet.restore();
        }
    }

    @Test
    void roundTripsAreByteExactFromManyClientsAndEachHostKnowsEachClientByItsOwnAddress() throws Exception {
        int clients = 12;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<CompletableFuture<InetSocketAddress>> exchanges = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String source = Clients.address(2, i);
                Random random = new Random(i);
                exchanges.add(CompletableFuture.supplyAsync(() -> exchangeChecked(source, random), pool));
            }
            Map<String, List<InetSocketAddress>> byHost = new TreeMap<>();
            for (CompletableFuture<InetSocketAddress> exchange : exchanges) {
                InetSocketAddress client = exchange.get();
                byHost.computeIfAbsent(fleet.servingHost(client), host -> new ArrayList<>()).add(client);
            }
            System.out.println("fleet: clients by host " + byHost);
            assertEquals(fleet.servers(), List.copyOf(byHost.keySet()), "every host serves some clients");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code --max-connections-per-ip 2} on each host. Twelve clients, one connection each, then
     * six from one more client: leastconn gives each new connection to a host with the fewest, so
     * each host holds six connections from the balancer's one address, two of them the one
     * client's; that client's seventh is refused by whichever host it reaches, while another new
     * client is served and the first client's six go on.
     */
    @Test
    void thePerAddressLimitHoldsEachRealClientNotTheBalancer() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                held.add(pinged(Clients.address(3, 10 + i)));
            }
            String client = Clients.address(3, 1);
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < fleet.servers().size() * LIMIT; i++) {
                clients.add(pinged(client));
            }
            held.addAll(clients);
            Map<String, Long> perHost = clients.stream()
                    .collect(Collectors.groupingBy(socket -> fleet.servingHost(Clients.client(socket)), TreeMap::new,
                            Collectors.counting()));
            assertEquals(fleet.servers().stream().collect(Collectors.toMap(s -> s, s -> (long) LIMIT)), perHost,
                    "the one client's connections by host");
            try (Socket over = Clients.connect(client, fleet.port())) {
                writeUnlessClosed(over, "ping\n".getBytes(UTF_8));
                assertEquals(-1, Clients.readOrReset(over), "a connection over the limit got a byte");
                String refusedBy = fleet.servingHost(Clients.client(over));
                fleet.host(refusedBy).awaitLog(
                        "refused \\d+ connections in the last second: over --max-connections-per-ip " + LIMIT);
            }
            held.add(pinged(Clients.address(3, 2)));
            for (Socket socket : clients) {
                assertPingAnswered(socket);
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aHostKilledIsMarkedDownAndRoutedAroundWhileTheOthersKeepTheirConnections() throws Exception {
        assertHostLossRoutedAround(4, "s2", "kill -9 of its master", server -> fleet.host(server).kill());
    }

    @Test
    void aHostCutOffIsMarkedDownAndRoutedAroundWhileTheOthersKeepTheirConnections() throws Exception {
        assertHostLossRoutedAround(5, "s3", "its link down", fleet::cut);
    }

    /**
     * Conversations on every host; then {@code victim} is lost. HAProxy marks it down once its
     * checks fail (the time taken is printed); after that every new connection is served,
     * byte-exact, by the others, and the conversations on the others go on byte-exact.
     */
    private static void assertHostLossRoutedAround(int group, String victim, String how, Consumer<String> loss)
            throws Exception {
        List<Conversation> conversations = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * fleet.servers().size(); i++) {
                conversations.add(Conversation.start(Clients.address(group, i), fleet.port()));
            }
            Map<String, List<Conversation>> byHost = conversations.stream()
                    .collect(Collectors.groupingBy(c -> fleet.servingHost(c.client()), TreeMap::new, Collectors.toList()));
            assertEquals(fleet.servers(), List.copyOf(byHost.keySet()), "conversations on every host");
            conversations.forEach(c -> c.awaitRounds(3, WAIT));

            long lost = System.nanoTime();
            loss.accept(victim);
            fleet.awaitStatus(victim, "DOWN");
            long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lost);
            System.out.printf("fleet: %s marked DOWN by HAProxy %d ms after %s (checks: %s)%n", victim, downMillis, how,
                    Fleet.CHECK_TIMINGS);

            Random random = new Random(group);
            for (int i = 0; i < 30; i++) {
                InetSocketAddress client = exchangeChecked(Clients.address(group, 100 + i), random);
                assertNotEquals(victim, fleet.servingHost(client), "a new connection went to the lost host");
            }
            byHost.forEach((host, onHost) -> {
                if (!host.equals(victim)) {
                    onHost.forEach(c -> c.awaitRounds(20, WAIT));
                }
            });
        } finally {
            for (Conversation conversation : conversations) {
                conversation.close();
            }
        }
    }

    /**
     * Clients keep connecting while each host in turn is drained in HAProxy (runtime API), stopped
     * with SIGTERM once HAProxy holds no session to it, started again, and made ready once its
     * checks pass. Not one connection fails, and each new shout serves clients again.
     */
    @Test
    void aRollingDeployUnderAContinuousClientLoopFailsNoConnection() throws Exception {
        RuntimeApi runtime = fleet.runtime();
        try (ClientLoop loop = ClientLoop.start(fleet.port(), 6, 2)) {
            loop.awaitExchanges(20, WAIT);
            for (String server : fleet.servers()) {
                runtime.setState(Fleet.BACKEND, server, "drain");
                fleet.awaitNoSessions(server);
                assertEquals(0, fleet.host(server).stop(), server + "'s exit code after SIGTERM");
                ShoutHost started = fleet.restart(server);
                fleet.awaitStatus(server, "DRAIN");
                runtime.setState(Fleet.BACKEND, server, "ready");
                fleet.awaitStatus(server, "UP");
                started.awaitLog(" by its PROXY header$");
                loop.awaitExchanges(20, WAIT);
                loop.assertNoneFailed("by the time " + server + " was back");
            }
            System.out.printf("fleet: a rolling deploy of %d hosts under %d exchanges, none failed%n",
                    fleet.servers().size(), loop.exchanges());
        }
    }

    /** A connection from {@code source}, answered once. */
    private static Socket pinged(String source) throws IOException {
        Socket socket = Clients.connect(source, fleet.port());
        try {
            assertPingAnswered(socket);
            return socket;
        } catch (IOException | AssertionError e) {
            socket.close();
            throw e;
        }
    }

    private static void assertPingAnswered(Socket socket) throws IOException {
        socket.getOutputStream().write("ping\n".getBytes(UTF_8));
        assertArrayEquals("PING\n".getBytes(UTF_8), socket.getInputStream().readNBytes(5));
    }

    /** Random text of up to 256 KiB from {@code source} through the fleet, its reply checked; the client's address. */
    private static InetSocketAddress exchangeChecked(String source, Random random) {
        byte[] payload = Reference.randomText(random, random.nextInt(256 << 10));
        try (Socket socket = Clients.connect(source, fleet.port())) {
            assertArrayEquals(Reference.upper(payload), Clients.exchange(socket, payload),
                    "the reply to " + payload.length + " bytes from " + source);
            return Clients.client(socket);
        } catch (IOException e) {
            throw new AssertionError("an exchange from " + source + " failed", e);
        }
    }

    /** Writes, unless the connection is closed already: it may be refused before the bytes are out. */
    private static void writeUnlessClosed(Socket socket, byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
        } catch (IOException closedAlready) {
            // what the test checks next
        }
    }
}
