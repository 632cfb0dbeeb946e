package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.config.SocketActivation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Socket activation, black box, in both modes: the server under {@code systemd-socket-activate},
 * which passes it a listening socket as systemd does. It is given {@code --host} and
 * {@code --port} that it could not bind (192.0.2.1 is no address of this machine), so every
 * connection served went through the inherited socket.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SocketActivationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> UNBINDABLE = List.of("--host", "192.0.2.1", "--port", "1");
    private static final int CLIENTS = 20;
    /** bash with LISTEN_FDS=1 and LISTEN_PID its own, exec'ing its arguments with descriptor 3 on /dev/null. */
    private static final List<String> DEV_NULL_AS_THE_SOCKET = List.of("bash", "-c",
            "export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$@\" 3</dev/null", "activation-without-a-socket");

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void servesTheInheritedSocketFromTheConnectionThatStartedIt(ServerMode mode) throws IOException {
        SocketActivator.Activated activated = SocketActivator.start(1,
                server(mode, "--metrics-host", "127.0.0.1", "--metrics-port", "0"));
        try (ServerProcess server = activated.process()) {
            // The activator starts the server at the first connect: at least that client connected
            // and sent everything before the server existed, and waited in the backlog.
            connectAndSend(activated.port(), CLIENTS, new Random(7)).forEach(Client::assertWholeReply);
            String port = Integer.toString(activated.port());
            server.awaitLog("shout listening on 127\\.0\\.0\\.1:" + port + " ");
            assertEquals(1, server.logLines("socket activation: listening on the inherited socket 127\\.0\\.0\\.1:" + port
                    + " \\(descriptor 3\\); --host, --port and --backlog are ignored").size(), server::logText);
            assertEquals(200, MetricsEndpoint.of(server::awaitLog).get("/health").statusCode(),
                    "the metrics endpoint, bound as usual beside the inherited socket");
            if (mode == ServerMode.PROCESS) {
                assertWorkersInheritNeitherTheSocketNorItsVariables(server);
            }
            server.requestStop();
            assertEquals(0, server.awaitExit(WAIT), server::logText);
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aRestartOnTheSameSocketRefusesNoConnect(ServerMode mode, @TempDir Path gates) throws IOException {
        Path first = Files.createFile(gates.resolve("first"));
        Path second = gates.resolve("second");
        SocketActivator.Activated activated = SocketActivator.start(1,
                SocketActivator.eachTimeAGateOpens(List.of(first, second), server(mode)));
        try (ServerProcess standIn = activated.process()) {
            connectAndSend(activated.port(), 1, new Random(1)).forEach(Client::assertWholeReply);
            long firstServer = Await.value("the first server", WAIT, () -> runningServer(standIn).orElse(null));
            Signals.send("TERM", firstServer);
            standIn.awaitLog("^server exited with code \\d+");
            assertEquals(List.of("server exited with code 0"), standIn.logLines("^server exited with code"), standIn::logText);
            assertEquals(Optional.empty(), runningServer(standIn), "no server runs until the second gate opens");
            // Nothing serves the port now, but the socket is open: each connect completes, and waits.
            List<Client> waiting = connectAndSend(activated.port(), CLIENTS, new Random(2));
            Files.createFile(second);
            waiting.forEach(Client::assertWholeReply);
            assertEquals(2, standIn.logLines("socket activation: listening on the inherited socket 127\\.0\\.0\\.1:"
                    + activated.port() + " ").size(), standIn::logText);
            Signals.send("TERM", Await.value("the second server", WAIT, () -> runningServer(standIn).orElse(null)));
            assertEquals(0, standIn.awaitExit(WAIT), standIn::logText);
            assertEquals(2, standIn.logLines("^server exited with code 0").size(), standIn::logText);
        }
    }

    @Test
    void moreThanOneSocketIsRefusedWithOneLine() throws IOException {
        SocketActivator.Activated activated = SocketActivator.start(2, server(ServerMode.THREAD));
        try (ServerProcess server = activated.process(); Socket trigger = TcpClient.connect(activated.port())) {
            assertEquals(2, server.awaitExit(WAIT), server::logText);
            assertEquals(1, server.logLines("^shout-server: LISTEN_FDS: 2 \\(expected: 1: shout serves one listening"
                    + " socket, so its \\.socket unit has one ListenStream=\\)$").size(), server::logText);
        }
    }

    @ParameterizedTest
    @EnumSource(ServerMode.class)
    void aDescriptorThatIsNotASocketIsRefusedWithOneLine(ServerMode mode) {
        List<String> command = new ArrayList<>(DEV_NULL_AS_THE_SOCKET);
        command.addAll(server(mode));
        try (ServerProcess server = ServerProcess.exec(command)) {
            assertEquals(1, server.awaitExit(WAIT), server::logText);
            assertEquals(1, server.logLines("ERROR ShoutServer - cannot listen on the socket passed by socket activation:"
                    + " descriptor 3 \\(/dev/null\\) is not a socket$").size(), server::logText);
        }
    }

    @Test
    void withoutTheNativeTransportSocketActivationFailsRatherThanBindingElsewhere() {
        List<String> command = new ArrayList<>(DEV_NULL_AS_THE_SOCKET);
        command.addAll(List.of(Jars.java(), "-Dio.netty.transport.noNative=true", "-jar", Jars.server()));
        command.addAll(UNBINDABLE);
        try (ServerProcess server = ServerProcess.exec(command)) {
            assertEquals(1, server.awaitExit(WAIT), server::logText);
            assertEquals(1, server.logLines("ERROR ShoutServer - cannot listen on the socket passed by socket activation:"
                    + " taking over a descriptor needs Netty's native epoll transport, which is not available here$")
                    .size(), server::logText);
        }
    }

    /** The server jar's command line in {@code mode}, with flags it must ignore and {@code flags}. */
    private static List<String> server(ServerMode mode, String... flags) {
        List<String> command = new ArrayList<>(List.of(Jars.java(), "-jar", Jars.server()));
        command.addAll(UNBINDABLE);
        command.addAll(mode.flags());
        command.addAll(List.of(flags));
        return command;
    }

    /** The server the stand-in runs now, if one runs: its child running java (the others are its sleeps). */
    private static Optional<Long> runningServer(ServerProcess standIn) {
        return standIn.children().stream()
                .filter(child -> child.info().command().filter(command -> command.endsWith("/java")).isPresent())
                .map(ProcessHandle::pid).findFirst();
    }

    private static void assertWorkersInheritNeitherTheSocketNorItsVariables(ServerProcess master) throws IOException {
        String socket = Files.readSymbolicLink(Path.of("/proc", Long.toString(master.pid()), "fd", "3")).toString();
        assertTrue(socket.startsWith("socket:["), "the master's descriptor 3: " + socket);
        assertTrue(environment(master.pid()).contains("LISTEN_FDS=1"), "the master was passed the socket");
        List<ProcessHandle> workers = master.children();
        assertEquals(2, workers.size());
        for (ProcessHandle worker : workers) {
            List<String> variables = environment(worker.pid()).stream()
                    .filter(variable -> SocketActivation.VARIABLES.contains(variable.substring(0, variable.indexOf('='))))
                    .toList();
            assertEquals(List.of(), variables, "socket activation's variables in worker " + worker.pid());
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(worker.pid()), "fd"))) {
                assertFalse(fds.anyMatch(fd -> socket.equals(linkOf(fd))), "worker " + worker.pid() + " holds " + socket);
            }
        }
    }

    /** Its environment as the kernel shows it to an operator: {@code /proc/PID/environ}. */
    private static List<String> environment(long pid) throws IOException {
        return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0"));
    }

    private static String linkOf(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
            return "";
        }
    }

    /**
     * Connects {@code count} clients, each sending 32 KiB of random text and half-closing, without
     * reading: what they are owed waits for {@link Client#assertWholeReply}. Every connect must succeed.
     */
    private static List<Client> connectAndSend(int port, int count, Random random) throws IOException {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = Reference.randomText(random, 32 * 1024);
            Socket socket = TcpClient.connect(port);
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
            clients.add(new Client(socket, Reference.upper(payload)));
        }
        return clients;
    }

    private record Client(Socket socket, byte[] owed) {

        /** Reads until the server closes, then closes. */
        void assertWholeReply() {
            try (socket) {
                assertArrayEquals(owed, socket.getInputStream().readAllBytes(), "the reply to " + socket);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
