package dev.shout.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code systemd-socket-activate} standing in for systemd, since a Java test cannot pass a
 * descriptor to a process it starts: it listens on a loopback port and, at the first connection,
 * execs its command with that socket as descriptor 3, {@code LISTEN_FDS=1} and
 * {@code LISTEN_PID} its own pid, which the command then has. It does not hold the socket once
 * the command ends, as systemd does; {@link #eachTimeAGateOpens} does that part.
 */
final class SocketActivator {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Runs the server (the arguments after {@code --}) once for each gate file (the arguments
     * before it), in turn, once that file exists, holding the socket meanwhile. Each run is a
     * subshell that execs the server after setting LISTEN_PID to its own pid, as systemd sets it
     * at each start; each exit code is logged.
     */
    private static final String STAND_IN = """
            gates=()
            while [ "$1" != -- ]; do gates+=("$1"); shift; done
            shift
            for gate in "${gates[@]}"; do
                until [ -e "$gate" ]; do sleep 0.05; done
                (export LISTEN_PID=$BASHPID; exec "$@")
                echo "server exited with code $?"
            done
            """;

    private SocketActivator() {
    }

    /**
     * The activator's process, which becomes its command's, and the ports it listens on: the
     * first connection to any of them starts the command.
     */
    record Activated(ServerProcess process, List<Integer> ports) {

        int port() {
            return ports.get(0);
        }
    }

    /** Starts the activator listening on {@code sockets} loopback ports for {@code command}; returns once it listens. */
    static Activated start(int sockets, List<String> command) {
        List<String> activator = new ArrayList<>(List.of(SystemdTools.require("systemd-socket-activate")));
        List<Integer> ports = FreePorts.below(sockets);
        ports.forEach(port -> activator.addAll(List.of("--listen", "127.0.0.1:" + port)));
        activator.addAll(command);
        ServerProcess process = ServerProcess.exec(activator);
        try {
            for (int port : ports) {
                process.awaitLog(Pattern.compile("Listening on 127\\.0\\.0\\.1:" + port + " as \\d+\\."), WAIT);
            }
            return new Activated(process, ports);
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
    }

    /**
     * A command standing in for systemd across restarts: bash holds the socket and runs {@code server}
     * on it once for each of {@code gates}, in turn, when that file exists.
     */
    static List<String> eachTimeAGateOpens(List<Path> gates, List<String> server) {
        List<String> command = new ArrayList<>(List.of("bash", "-c", STAND_IN, "systemd-stand-in"));
        gates.forEach(gate -> command.add(gate.toString()));
        command.add("--");
        command.addAll(server);
        return command;
    }
}
