package dev.shout.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.it.Jars;
import dev.shout.it.deploy.Repository;
import dev.shout.it.fleet.HAProxyConfig.Relay;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code deploy/haproxy/haproxy.cfg} holds what the fleet tests rely on and an operator needs,
 * HAProxy accepts it, and the fleet tests run it changed only where {@link HAProxyConfig#forTest}
 * says.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HAProxyConfigTest {

    private static final HAProxyConfig SHIPPED = HAProxyConfig.shipped();
    /** In the list of options, not the usage line: the flag, its description, its default. */
    private static final Pattern IDLE_TIMEOUT_DEFAULT =
            Pattern.compile("(?m)^\\s+--idle-timeout=DURATION\\b(?:.*\\n)*?.*Default: (\\S+)");

    @Test
    void eachNewConnectionGoesToTheHostWithTheFewest() {
        assertDirective("backend", "balance leastconn");
    }

    @Test
    void aConnectThatFailsIsTriedAgainOnAnotherHost() {
        Matcher retries = Pattern.compile("(?m)^\\s*retries (\\d+)$").matcher(SHIPPED.text());
        assertTrue(retries.find() && Integer.parseInt(retries.group(1)) >= 1, "retries N, N >= 1");
        assertDirective("defaults", "option redispatch 1");
    }

    @Test
    void everyServerIsSentAProxyV2HeaderAndCheckedOnItsHealthEndpoint() {
        assertDirective("default-server", "default-server check port \\d+ .*\\bsend-proxy-v2\\b.*");
        assertDirective("backend", "option httpchk");
        assertDirective("backend", "http-check send meth GET uri /health");
        assertDirective("backend", "http-check expect status 200");
        assertEquals(3, SHIPPED.servers().size(), "three hosts");
    }

    @Test
    void theBalancerLeavesIdleClientsToShout() {
        String idleDefault = shoutDefault(IDLE_TIMEOUT_DEFAULT);
        assertTrue(idleDefault.matches("\\d+(ms|s|m|h)"), "a duration: " + idleDefault);
        long idle = millis(idleDefault);
        for (String timeout : List.of("client", "server")) {
            Matcher set = Pattern.compile("(?m)^\\s*timeout " + timeout + " (\\S+)$").matcher(SHIPPED.text());
            assertTrue(set.find(), "timeout " + timeout);
            assertTrue(millis(set.group(1)) > idle, "timeout " + timeout + " " + set.group(1)
                    + " is not above shout's default --idle-timeout");
        }
    }

    @Test
    void theRuntimeApiCanDrainAndReadyServers() {
        assertDirective("global", "stats socket \\S+ .*\\blevel admin\\b.*");
    }

    @Test
    void haproxyAcceptsItWithoutAWarning() {
        Tools.FLEET.require();
        Command check = Command.run(new byte[0], Tools.path("haproxy"), "-c", "-f",
                Repository.path(HAProxyConfig.SHIPPED).toString());
        assertEquals(0, check.exitCode(), check.output());
        assertFalse(check.output().contains("WARNING"), check.output());
    }

    @Test
    void theTestsChangeOnlyTheLinesTheyName() {
        String changed = SHIPPED.forTest(Path.of("/tmp/x/admin.sock"), 18080, "inter 500ms fall 2 rise 2", "ns",
                List.of(new Relay("metrics-s1", 19090, "192.0.2.1:9090"))).text();
        List<String> expected = new ArrayList<>();
        for (String line : SHIPPED.text().lines().toList()) {
            String directive = line.strip();
            if (directive.startsWith("user ") || directive.startsWith("group ")) {
                continue;
            } else if (directive.startsWith("stats socket ")) {
                line = line.replaceFirst("stats socket \\S+", "stats socket /tmp/x/admin.sock");
            } else if (directive.startsWith("bind ")) {
                line = line.replaceFirst("bind \\S+", "bind 127.0.0.1:18080");
            } else if (directive.startsWith("default-server ")) {
                line = line.replaceFirst("inter \\S+ fall \\d+ rise \\d+", "inter 500ms fall 2 rise 2");
            } else if (directive.startsWith("server ")) {
                line = line + " namespace ns";
            }
            expected.add(line);
        }
        expected.addAll(List.of("", "listen metrics-s1", "    bind 127.0.0.1:19090",
                "    server metrics-s1 192.0.2.1:9090 namespace ns"));
        assertEquals(expected, changed.lines().toList());
    }

    @Test
    void theHostsAreTheServerLines() {
        assertEquals(List.of(new HAProxyConfig.Server("s1", new InetSocketAddress("192.0.2.1", 8080), 9090),
                new HAProxyConfig.Server("s2", new InetSocketAddress("192.0.2.2", 8080), 9090),
                new HAProxyConfig.Server("s3", new InetSocketAddress("192.0.2.3", 8080), 9090)), SHIPPED.servers());
    }

    @Test
    void aShippedFileWithoutALineTheTestsChangeFailsThem() {
        HAProxyConfig withoutSocket = HAProxyConfig.of(SHIPPED.text().replaceAll("(?m)^\\s*stats socket .*\\R", ""));
        AssertionError failed = assertThrows(AssertionError.class, () -> withoutSocket.forTest(Path.of("/tmp/s"), 1,
                "inter 1s fall 1 rise 1", "ns", List.of()));
        assertTrue(failed.getMessage().contains("stats socket"), failed.getMessage());
    }

    /** A line {@code regex} in the file, whole; {@code where} says where it belongs, for the message. */
    private static void assertDirective(String where, String regex) {
        assertTrue(Pattern.compile("(?m)^\\s*" + regex + "$").matcher(SHIPPED.text()).find(),
                HAProxyConfig.SHIPPED + " has no '" + regex + "' (" + where + ")");
    }

    /** A default that the server's --help states. */
    private static String shoutDefault(Pattern flag) {
        Matcher matcher = flag.matcher(Command.run(Jars.java(), "-jar", Jars.server(), "--help"));
        assertTrue(matcher.find(), "shout-server --help states the default");
        return matcher.group(1);
    }

    /** An HAProxy time, which is in milliseconds without a unit; shout's durations read the same way. */
    private static long millis(String time) {
        Matcher matcher = Pattern.compile("(\\d+)(us|ms|s|m|h|d)?").matcher(time);
        assertTrue(matcher.matches(), "a time: " + time);
        long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2) == null ? "ms" : matcher.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> TimeUnit.SECONDS.toMillis(value);
            case "m" -> TimeUnit.MINUTES.toMillis(value);
            case "h" -> TimeUnit.HOURS.toMillis(value);
            default -> TimeUnit.DAYS.toMillis(value);
        };
    }
}
