package dev.shout.server.process.supervision;

/**
 * A new build that a rolling restart tries on its first replacement before it rolls any other
 * worker onto it (issue #11, upgrade in place): the old workers serve until a worker of the new
 * build has linked and spoken this master's link protocol, and if none does, they serve on.
 */
public interface Trial extends WorkerLauncher {

    /** Its worker linked and speaks this master's protocol: every worker started from now on runs the new build. */
    void passed(WorkerHandle worker);

    /**
     * Its worker did not link ({@code why}, which names the worker): the roll stops, the old
     * workers serve on, and workers keep starting from the build they run. Says so in one line.
     */
    void failed(String why);
}
