package dev.shout.it;

import dev.shout.server.metrics.ProcNetTcp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What the kernel says about processes and sockets, read from /proc as an operator would. */
final class ProcFs {

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
        return ProcNetTcp.sockets().stream()
                .filter(row -> isLoopback(row.local(), serverPort) && isLoopback(row.remote(), clientPort))
                .findFirst()
                .map(serverSide -> "socket:[" + serverSide.inode() + "]")
                .flatMap(target -> candidates.stream().filter(pid -> holds(pid, target)).findFirst());
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
