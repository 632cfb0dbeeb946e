package dev.shout.it.fleet;

import dev.shout.it.Await;
import dev.shout.it.fleet.HAProxyConfig.Relay;
import dev.shout.it.fleet.HAProxyConfig.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fleet for a test class: shout on each host of {@code deploy/haproxy/haproxy.cfg}, each in a
 * network namespace of its own ({@link Fabric}), and HAProxy in front run from that file
 * ({@link HAProxyConfig#forTest}), its frontend on 127.0.0.1 for the test's clients. The hosts
 * start together; the fleet is ready when HAProxy sees every one up. Everything is stopped and
 * the namespaces deleted after the class, whatever failed, and by a shutdown hook if the test's
 * JVM is stopped first. Register as a static field with {@code @RegisterExtension}.
 */
final class Fleet implements BeforeAllCallback, AfterAllCallback {

    static final String BACKEND = "shout";
    /** The balancer's address on the hosts' side: what the hosts trust. */
    static final String BALANCER = "192.0.2.254";
    /** Quicker than the shipped checks, to keep the tests short: down after about a second. */
    static final String CHECK_TIMINGS = "inter 500ms fall 2 rise 2";
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path LOGS = Path.of("target", "fleet-logs");

    private final String name;
    private final List<Tools> needs;
    private final List<String> hostFlags;
    /** Relays to the balancer's namespace besides one to each host's metrics, by name: address:port there. */
    private final Map<String, String> relayTargets;
    private final Map<String, ShoutHost> hosts = new LinkedHashMap<>();
    /** Every shout started, the ones since replaced too: for what their logs say. */
    private final List<ShoutHost> started = new ArrayList<>();
    private final Map<String, Integer> starts = new HashMap<>();
    private final Map<String, Integer> relayPorts = new HashMap<>();
    private List<Server> servers;
    private Path logs;
    private Path temp;
    private Fabric fabric;
    private HAProxy haproxy;
    private int port;
    private Thread shutdownHook;

    /**
     * @param name names the log directory, under target/fleet-logs
     * @param needs what the tests need from the machine, checked first ({@link Tools#FLEET} and more)
     * @param relayTargets relays to the balancer's namespace besides the hosts' metrics: name, address:port there
     * @param hostFlags given to shout on every host
     */
    Fleet(String name, List<Tools> needs, Map<String, String> relayTargets, String... hostFlags) {
        this.name = name;
        this.needs = List.copyOf(needs);
        this.relayTargets = Map.copyOf(relayTargets);
        this.hostFlags = List.of(hostFlags);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        needs.forEach(Tools::require);
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        logs = LOGS.resolve(name + "-" + id);
        Files.createDirectories(logs);
        temp = Files.createTempDirectory("shout-fleet-" + id + "-");
        shutdownHook = new Thread(this::close, "fleet-" + id + "-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            start(id);
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    private void start(String id) {
        HAProxyConfig shipped = HAProxyConfig.shipped();
        servers = shipped.servers();
        fabric = Fabric.create(id, BALANCER, servers.stream().map(server -> server.address().getHostString()).toList());
        servers.forEach(server -> hosts.put(server.name(), launch(server)));
        hosts.values().forEach(ShoutHost::awaitReady);
        Map<String, String> targets = new LinkedHashMap<>();
        servers.forEach(server -> targets.put(metricsRelay(server.name()), server.metrics()));
        targets.putAll(relayTargets);
        List<Integer> ports = freePorts(targets.size() + 1);
        port = ports.get(0);
        List<Relay> relays = new ArrayList<>();
        for (String relay : targets.keySet()) {
            relayPorts.put(relay, ports.get(relays.size() + 1));
            relays.add(new Relay(relay, relayPorts.get(relay), targets.get(relay)));
        }
        Path config = logs.resolve("haproxy.cfg");
        shipped.forTest(temp.resolve("admin.sock"), port, CHECK_TIMINGS, fabric.balancerNamespace(), relays)
                .writeTo(config);
        haproxy = HAProxy.start(config, temp.resolve("admin.sock"), logs.resolve("haproxy.log"));
        servers.forEach(server -> awaitStatus(server.name(), "UP"));
    }

    /** HAProxy's frontend, on 127.0.0.1. */
    int port() {
        return port;
    }

    /** HAProxy's names for the hosts, in the order of the config: s1, s2, s3. */
    List<String> servers() {
        return servers.stream().map(Server::name).toList();
    }

    /** Where each host's metrics are, as the balancer's namespace reaches them: {@code 192.0.2.1:9090}. */
    List<String> metricsTargets() {
        return servers.stream().map(Server::metrics).toList();
    }

    String balancerNamespace() {
        return fabric.balancerNamespace();
    }

    Path logs() {
        return logs;
    }

    Path temp() {
        return temp;
    }

    /** The shout now running (or last run) for {@code server}. */
    ShoutHost host(String server) {
        return hosts.get(server);
    }

    RuntimeApi runtime() {
        return haproxy.runtime();
    }

    /** The test's port on loopback for the relay named {@code relay}. */
    int relayPort(String relay) {
        return relayPorts.get(relay);
    }

    /** The relay to {@code server}'s metrics port, for {@link #relayPort}. */
    static String metricsRelay(String server) {
        return "metrics-" + server;
    }

    /** Cuts {@code server}'s host off the network: its link goes down. */
    void cut(String server) {
        fabric.cut(address(server));
    }

    /** Starts shout again for {@code server}, whose last one has exited, and waits until it is ready. */
    ShoutHost restart(String server) {
        ShoutHost old = hosts.get(server);
        if (old.isAlive()) {
            throw new IllegalStateException(server + " is still running");
        }
        ShoutHost started = launch(server(server));
        hosts.put(server, started);
        return started.awaitReady();
    }

    /** Waits until HAProxy shows {@code server} with {@code status} (UP, DOWN, DRAIN...); returns how long that took. */
    Duration awaitStatus(String server, String status) {
        long start = System.nanoTime();
        Await.until("HAProxy to show " + server + " " + status + " (log " + haproxy.log() + ")", WAIT,
                () -> status.equals(runtime().servers(BACKEND).get(server).status()));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The host whose shout served {@code client}, by HAProxy's name for it. */
    String servingHost(InetSocketAddress client) {
        return Await.value("a host to log " + client + " as a PROXY header's client", WAIT, () -> hosts.values().stream()
                .filter(host -> host.served(client)).map(ShoutHost::server).findFirst().orElse(null));
    }

    /** Connections some shout closed after an error it did not expect, by the lines that say so: none, normally. */
    List<String> unexpectedErrors() {
        return started.stream().flatMap(host -> host.log().stream()).filter(line -> line.contains("unexpected error"))
                .toList();
    }

    /**
     * The fleet whole again after a test: every link up, a shout running on every host, every
     * server in HAProxy ready and up.
     */
    void restore() {
        for (Server server : servers) {
            fabric.heal(server.address().getHostString());
            if (!hosts.get(server.name()).isAlive()) {
                restart(server.name());
            }
            runtime().setState(BACKEND, server.name(), "ready");
        }
        servers.forEach(server -> awaitStatus(server.name(), "UP"));
        // Sessions left to a host that was cut off (closed by their clients, unheard by the host)
        // would stay counted for their host and skew leastconn for the next test.
        servers.forEach(server -> runtime().command("shutdown sessions server " + BACKEND + "/" + server.name()));
        Await.until("HAProxy to hold no sessions", WAIT, () -> runtime().servers(BACKEND).values().stream()
                .allMatch(server -> server.sessions() == 0));
    }

    /** Waits until HAProxy holds no session to {@code server}. */
    void awaitNoSessions(String server) {
        Await.until("HAProxy to hold no session to " + server, WAIT,
                () -> runtime().servers(BACKEND).get(server).sessions() == 0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
        if (shutdownHook != null) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
    }

    private synchronized void close() {
        if (haproxy != null) {
            haproxy.close();
            haproxy = null;
        }
        hosts.values().forEach(ShoutHost::close);
        hosts.clear();
        if (fabric != null) {
            fabric.close();
            fabric = null;
        }
        if (temp != null) {
            try (Stream<Path> files = Files.walk(temp)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            temp = null;
        }
    }

    private ShoutHost launch(Server server) {
        int start = starts.merge(server.name(), 1, Integer::sum);
        ShoutHost host = ShoutHost.launch(server.name(), fabric.namespaceOf(server.address().getHostString()),
                server.address(), server.checkPort(), BALANCER, hostFlags,
                logs.resolve(server.name() + "-" + start + ".log"));
        started.add(host);
        return host;
    }

    private String address(String server) {
        return server(server).address().getHostString();
    }

    private Server server(String name) {
        return servers.stream().filter(server -> server.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no server " + name + " in " + HAProxyConfig.SHIPPED));
    }

    /** Ports free on 127.0.0.1 now, all different: held together while they are picked. */
    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // it was only held to keep its port from the others
                }
            }
        }
    }
}
