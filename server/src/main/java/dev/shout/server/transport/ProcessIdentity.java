package dev.shout.server.transport;

/**
 * Which process of the server this is ({@code master}, {@code worker-2}, or {@code shout} in
 * thread mode) and its pid. Every thread is named after it, so every log line, which shows
 * the thread name, says which process wrote it.
 */
public final class ProcessIdentity {

    private static volatile String label = "shout";

    private ProcessIdentity() {
    }

    /** Names this process and renames the calling thread after it. */
    public static void become(String processLabel) {
        label = processLabel;
        Thread.currentThread().setName(threadPrefix("main"));
    }

    public static String label() {
        return label;
    }

    /** {@code worker-2:4711/io}: the start of the name of every thread with this role. */
    public static String threadPrefix(String role) {
        return label + ":" + ProcessHandle.current().pid() + "/" + role;
    }
}
