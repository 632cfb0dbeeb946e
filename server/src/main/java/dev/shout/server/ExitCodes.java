package dev.shout.server;

/** The exit codes the master, its workers and thread mode share (documented in the README). */
public final class ExitCodes {

    /** Stopped as asked. */
    public static final int OK = 0;
    /** Could not start: the address is in use, say. */
    public static final int START_FAILED = 1;
    /** A flag is wrong. */
    public static final int USAGE = 2;
    /** Master: workers failed to boot several times in a row; their own errors are in the log. */
    public static final int WORKERS_CANNOT_BOOT = 3;
    /** Worker: its link to the master closed, so the master is gone. */
    public static final int MASTER_GONE = 4;

    private ExitCodes() {
    }
}
