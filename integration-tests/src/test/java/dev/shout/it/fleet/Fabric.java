package dev.shout.it.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's network, made by the test and gone when it closes: a namespace for the balancer's
 * side and one per host, each host joined to the balancer's side by a veth pair. The addresses,
 * from TEST-NET-1 (192.0.2.0/24), exist only inside these namespaces, each reached by a route to
 * its one address; no namespace has a default route, so nothing leaves them. The balancer's side
 * holds no process: HAProxy, in the test's own namespace, opens its connections to the hosts
 * there ({@code namespace} on its server lines), so that clients reach it on loopback.
 *
 * <p>Names carry a random id, so that runs at the same time on one machine do not meet; a veth
 * name has at most 15 characters: {@code sf<id>b1} on the balancer's side, {@code sf<id>h1} on
 * host 1's.
 */
final class Fabric implements AutoCloseable {

    private final String balancerNamespace;
    private final String balancerAddress;
    /** By host address. */
    private final Map<String, Link> links = new LinkedHashMap<>();

    /** One host's namespace and its veth pair. */
    private record Link(String namespace, String hostSide, String balancerSide) {
    }

    private Fabric(String id, String balancerAddress) {
        this.balancerNamespace = "shout-fleet-" + id + "-lb";
        this.balancerAddress = balancerAddress;
    }

    /** The namespaces and links for hosts at {@code hostAddresses}, reached from {@code balancerAddress}. */
    static Fabric create(String id, String balancerAddress, List<String> hostAddresses) {
        Fabric fabric = new Fabric(id, balancerAddress);
        try {
            ip("netns", "add", fabric.balancerNamespace);
            ip("-n", fabric.balancerNamespace, "link", "set", "lo", "up");
            ip("-n", fabric.balancerNamespace, "addr", "add", balancerAddress + "/32", "dev", "lo");
            for (int i = 0; i < hostAddresses.size(); i++) {
                String host = hostAddresses.get(i);
                Link link = new Link("shout-fleet-" + id + "-h" + (i + 1), "sf" + id + "h" + (i + 1),
                        "sf" + id + "b" + (i + 1));
                ip("netns", "add", link.namespace);
                fabric.links.put(host, link);
                ip("-n", link.namespace, "link", "set", "lo", "up");
                ip("link", "add", link.balancerSide, "netns", fabric.balancerNamespace, "type", "veth",
                        "peer", "name", link.hostSide, "netns", link.namespace);
                ip("-n", link.namespace, "addr", "add", host + "/32", "dev", link.hostSide);
                ip("-n", fabric.balancerNamespace, "link", "set", link.balancerSide, "up");
                fabric.heal(host);
            }
            return fabric;
        } catch (RuntimeException | AssertionError e) {
            fabric.close();
            throw e;
        }
    }

    String balancerNamespace() {
        return balancerNamespace;
    }

    String balancerAddress() {
        return balancerAddress;
    }

    String namespaceOf(String host) {
        return link(host).namespace;
    }

    /** The host's link goes down on its side: what it sends and what is sent to it is lost, silently. */
    void cut(String host) {
        Link link = link(host);
        ip("-n", link.namespace, "link", "set", link.hostSide, "down");
    }

    /** The host's link up, with the routes between it and the balancer (a link that went down lost its routes). */
    void heal(String host) {
        Link link = link(host);
        ip("-n", link.namespace, "link", "set", link.hostSide, "up");
        ip("-n", link.namespace, "route", "replace", balancerAddress + "/32", "dev", link.hostSide);
        ip("-n", balancerNamespace, "route", "replace", host + "/32", "dev", link.balancerSide, "src", balancerAddress);
    }

    /**
     * Deletes the namespaces, which takes their links with them. A process still inside one (only
     * this test starts any there) is killed first, by pid, or its namespace would live on.
     */
    @Override
    public void close() {
        List<String> namespaces = new ArrayList<>();
        links.values().forEach(link -> namespaces.add(link.namespace));
        namespaces.add(balancerNamespace);
        for (String namespace : namespaces) {
            Command left = Command.run(new byte[0], Tools.path("ip"), "netns", "pids", namespace);
            if (left.exitCode() == 0) {
                left.output().lines().map(String::strip).filter(pid -> !pid.isEmpty())
                        .forEach(pid -> Command.run(new byte[0], "kill", "-KILL", pid));
            }
            Command.run(new byte[0], Tools.path("ip"), "netns", "delete", namespace);
        }
    }

    private Link link(String host) {
        Link link = links.get(host);
        if (link == null) {
            throw new IllegalArgumentException("no host " + host + " in this fleet");
        }
        return link;
    }

    private static void ip(String... arguments) {
        Command.run(Command.concat(List.of(Tools.path("ip")), List.of(arguments)).toArray(String[]::new));
    }
}
