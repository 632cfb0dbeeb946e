package dev.shout.server.config;

import static dev.shout.server.config.Checks.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The listening socket a service manager passed this process by socket activation: systemd's
 * {@code shout.socket}, or {@code systemd-socket-activate}. The protocol is sd_listen_fds(3):
 * {@code LISTEN_FDS} descriptors from 3 on, meant for the process whose pid is
 * {@code LISTEN_PID}. The socket outlives the server, so a restart refuses no connect: clients
 * wait in its backlog for the next server.
 *
 * <p>shout serves one socket, so it takes exactly one. The variables are inherited by children,
 * which is why they name a pid, and why workers are started without them ({@link #VARIABLES}).
 *
 * @param descriptor the inherited socket's file descriptor
 */
public record SocketActivation(int descriptor) {

    /** SD_LISTEN_FDS_START: where the passed descriptors begin. */
    public static final int FIRST_DESCRIPTOR = 3;
    /** The variables of the protocol, none of which a worker may see. */
    public static final List<String> VARIABLES = List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES");

    public SocketActivation {
        check(descriptor >= 0, "socket activation descriptor", descriptor, ">= 0");
    }

    /**
     * The socket {@code environment} passes to the process {@code pid}; empty when it passes
     * none, so that the server binds {@code --host} and {@code --port}.
     *
     * @throws IllegalArgumentException naming the variable, when one is set but is not what this process can take
     */
    public static Optional<SocketActivation> fromEnvironment(Map<String, String> environment, long pid) {
        String listenPid = environment.get("LISTEN_PID");
        String listenFds = environment.get("LISTEN_FDS");
        if (listenPid == null && listenFds == null) {
            return Optional.empty();
        }
        check(listenPid != null, "LISTEN_PID", "unset", "set with LISTEN_FDS=" + listenFds);
        check(number(listenPid) == pid, "LISTEN_PID", listenPid, "this process, " + pid
                + ": the socket was passed to another process; ExecStart= must run java itself, not a shell that forks it");
        check(listenFds != null, "LISTEN_FDS", "unset", "1");
        check(number(listenFds) == 1, "LISTEN_FDS", listenFds,
                "1: shout serves one listening socket, so its .socket unit has one ListenStream=");
        return Optional.of(new SocketActivation(FIRST_DESCRIPTOR));
    }

    /** The variable's decimal value, or -1 for anything else, which no pid or count equals. */
    private static long number(String value) {
        return value != null && value.matches("\\d{1,18}") ? Long.parseLong(value) : -1;
    }
}
