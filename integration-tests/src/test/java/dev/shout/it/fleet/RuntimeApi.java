package dev.shout.it.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's runtime API on its stats socket (a Unix socket, {@code level admin}), as an operator
 * uses it with socat: one command a connection, the answer read to the end.
 */
final class RuntimeApi {

    private final Path socket;

    RuntimeApi(Path socket) {
        this.socket = socket;
    }

    /** Sends one command and returns HAProxy's answer. */
    String command(String command) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16_384);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("HAProxy's runtime API at " + socket + ": " + command, e);
        }
    }

    /** {@code set server BACKEND/SERVER state drain|ready|maint}; fails on any answer but an empty one. */
    void setState(String backend, String server, String state) {
        String answer = command("set server " + backend + "/" + server + " state " + state);
        if (!answer.isBlank()) {
            throw new AssertionError("set server " + backend + "/" + server + " state " + state + ": " + answer);
        }
    }

    /** What {@code show stat} says of one server: its status (UP, DOWN, DRAIN, MAINT, UP 1/2...) and sessions now. */
    record ServerStat(String status, int sessions, String checkStatus) {
    }

    /** Each server of {@code backend} by name, from {@code show stat}'s CSV. */
    Map<String, ServerStat> servers(String backend) {
        List<String> lines = command("show stat").lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
            throw new AssertionError("show stat: " + lines);
        }
        List<String> columns = Arrays.asList(lines.get(0).substring(2).split(",", -1));
        int name = columns.indexOf("svname");
        int status = columns.indexOf("status");
        int sessions = columns.indexOf("scur");
        int check = columns.indexOf("check_status");
        Map<String, ServerStat> servers = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (fields[0].equals(backend) && !fields[name].equals("FRONTEND") && !fields[name].equals("BACKEND")) {
                servers.put(fields[name], new ServerStat(fields[status], Integer.parseInt(fields[sessions]), fields[check]));
            }
        }
        return servers;
    }
}
