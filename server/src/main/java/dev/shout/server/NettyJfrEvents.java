package dev.shout.server;

/**
 * Netty's JDK Flight Recorder events (buffer and chunk allocations, {@code io.netty.jfr.enabled})
 * are off unless the command line asks for them: the first one's class brings in the Flight
 * Recorder's own classes, even with nothing recording, which cost a worker about a quarter of its
 * CPU time to start and the master as much on its first link (docs/BENCHMARKS.md, "Worker
 * start-up").
 */
public final class NettyJfrEvents {

    private static final String PROPERTY = "io.netty.jfr.enabled";

    private NettyJfrEvents() {
    }

    /** Turns them off in this JVM unless its command line set the property; call before Netty is first used. */
    public static void offUnlessAsked() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "false");
        }
    }

    /** The JVM option that turns them off in a JVM to start; a later {@code -D} of the same property wins. */
    public static String offOption() {
        return "-D" + PROPERTY + "=false";
    }
}
