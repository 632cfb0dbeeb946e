package dev.shout.it.fleet;

import dev.shout.it.deploy.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deploy/haproxy/haproxy.cfg}, the file shipped, and what a fleet test runs made from it.
 * The hosts are the file's server lines; {@link #forTest} changes only what a test machine needs
 * changed, each change made to the line it names, and fails if the shipped file no longer has
 * that line as often as expected, so that the file tested stays the file shipped.
 */
final class HAProxyConfig {

    static final String SHIPPED = "deploy/haproxy/haproxy.cfg";
    /** The backend's servers: {@code server s1 192.0.2.1:8080}, options left to default-server. */
    private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*server (\\S+) ([\\d.]+):(\\d+))$");
    private static final Pattern CHECK_PORT = Pattern.compile("(?m)^\\s*default-server .*\\bcheck port (\\d+)\\b");

    /** One of the backend's servers: HAProxy's name for it, where shout listens, where its /health is. */
    record Server(String name, InetSocketAddress address, int checkPort) {

        /** Its metrics port, where its /health is checked: {@code 192.0.2.1:9090}. */
        String metrics() {
            return address.getHostString() + ":" + checkPort;
        }
    }

    /**
     * A port on the test's loopback that HAProxy forwards to {@code target} in the balancer's
     * namespace: how the test, which cannot enter a namespace, reads a host's /metrics or asks
     * Prometheus.
     */
    record Relay(String name, int port, String target) {
    }

    private final String text;

    private HAProxyConfig(String text) {
        this.text = text;
    }

    static HAProxyConfig shipped() {
        try {
            return of(Files.readString(Repository.path(SHIPPED)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A configuration with the shipped file's layout: for checks of what a changed file would do. */
    static HAProxyConfig of(String text) {
        return new HAProxyConfig(text);
    }

    String text() {
        return text;
    }

    List<Server> servers() {
        Matcher checkPort = CHECK_PORT.matcher(text);
        if (!checkPort.find()) {
            throw new AssertionError(SHIPPED + " has no 'default-server ... check port N' line");
        }
        int port = Integer.parseInt(checkPort.group(1));
        List<Server> servers = SERVER.matcher(text).results().map(server -> new Server(server.group(2),
                new InetSocketAddress(server.group(3), Integer.parseInt(server.group(4))), port)).toList();
        if (servers.isEmpty()) {
            throw new AssertionError(SHIPPED + " has no 'server NAME ADDRESS:PORT' lines");
        }
        return servers;
    }

    /**
     * The configuration for a test: the stats socket at {@code socket}; the frontend on
     * {@code 127.0.0.1:frontendPort}; no {@code user}/{@code group}, since opening a socket in
     * another namespace needs root; {@code checkTimings} (e.g. {@code inter 500ms fall 2 rise 2})
     * instead of the shipped ones; each server reached in {@code namespace}; and {@code relays}
     * appended.
     */
    HAProxyConfig forTest(Path socket, int frontendPort, String checkTimings, String namespace, List<Relay> relays) {
        String changed = text;
        changed = replace(changed, "(?m)^(\\s*stats socket )\\S+", "$1" + Matcher.quoteReplacement(socket.toString()), 1);
        changed = replace(changed, "(?m)^(\\s*bind )\\S+$", "$1127.0.0.1:" + frontendPort, 1);
        changed = replace(changed, "(?m)^\\s*(user|group) \\S+\\R", "", 2);
        changed = replace(changed, "(?m)^(\\s*default-server .*)\\binter \\S+ fall \\d+ rise \\d+", "$1" + Matcher.quoteReplacement(checkTimings), 1);
        changed = replace(changed, SERVER.pattern(), "$1 namespace " + Matcher.quoteReplacement(namespace), servers().size());
        StringBuilder withRelays = new StringBuilder(changed);
        for (Relay relay : relays) {
            withRelays.append(String.format("%nlisten %s%n    bind 127.0.0.1:%d%n    server %s %s namespace %s%n",
                    relay.name, relay.port, relay.name, relay.target, namespace));
        }
        return new HAProxyConfig(withRelays.toString());
    }

    void writeTo(Path file) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every match of {@code regex} replaced; fails unless there were exactly {@code expected}. */
    private static String replace(String text, String regex, String replacement, int expected) {
        long found = Pattern.compile(regex).matcher(text).results().count();
        if (found != expected) {
            throw new AssertionError(SHIPPED + ": expected " + expected + " line(s) matching /" + regex + "/, found "
                    + found + "; the fleet tests change those lines (" + HAProxyConfig.class.getName() + ")");
        }
        return text.replaceAll(regex, replacement);
    }
}
