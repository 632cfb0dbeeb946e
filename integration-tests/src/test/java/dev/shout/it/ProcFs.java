package dev.shout.it;

import dev.shout.server.metrics.ProcNetTcp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** What the kernel says about processes and sockets, read from /proc as an operator would. */
final class ProcFs {

    /** TCP_ESTABLISHED and TCP_CLOSE_WAIT: the states of a connection's end that its process holds open. */
    private static final Set<Integer> OPEN_STATES = Set.of(0x01, 0x08);

    private ProcFs() {
    }

    /** Open file descriptors of a process. */
    static int openFds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Which of {@code candidates} holds the server side of the loopback connection whose
     * client end is {@code clientPort}: the worker serving that client.
     */
    static Optional<Long> servingPid(int serverPort, int clientPort, List<Long> candidates) {
        return serverSide(serverPort, clientPort).findFirst()
                .map(serverSide -> "socket:[" + serverSide.inode() + "]")
                .flatMap(target -> candidates.stream().filter(pid -> holds(pid, target)).findFirst());
    }

    /**
     * Waits until the server has closed its end of the loopback connection from {@code clientPort}:
     * that socket is gone, or in a state the kernel gives it only after its process closed it.
     */
    static void awaitServerClosed(int serverPort, int clientPort, Duration timeout) {
        Await.until("the server to close the connection from port " + clientPort, timeout,
                () -> serverSide(serverPort, clientPort).noneMatch(row -> OPEN_STATES.contains(row.state())));
    }

    /** The process state letter from /proc/PID/stat (R, S, Z, ...), or empty if it is gone. */
    static Optional<Character> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(stat.charAt(stat.lastIndexOf(')') + 2));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Children of {@code parent} that exited but were not reaped. */
    static List<Long> zombieChildren(long parent) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(dir -> dir.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> isZombieChildOf(pid, parent))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isZombieChildOf(long pid, long parent) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return afterName[0].equals("Z") && Long.parseLong(afterName[1]) == parent;
        } catch (IOException gone) {
            return false;
        }
    }

    /** The server's ends of loopback connections from {@code clientPort} to {@code serverPort}: one, unless an old one lingers. */
    private static Stream<ProcNetTcp.Row> serverSide(int serverPort, int clientPort) {
        return ProcNetTcp.sockets().stream()
                .filter(row -> isLoopback(row.local(), serverPort) && isLoopback(row.remote(), clientPort));
    }

    private static boolean isLoopback(InetSocketAddress address, int port) {
        return address.getAddress().isLoopbackAddress() && address.getPort() == port;
    }

    private static boolean holds(long pid, String target) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(target);
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }
}
