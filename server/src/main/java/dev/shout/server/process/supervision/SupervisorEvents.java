package dev.shout.server.process.supervision;

/** What supervision tells the rest of the master: the dispatcher routes by it. */
public interface SupervisorEvents {
    /** The worker is linked and may take connections. */
    void ready(WorkerHandle worker);

    /** The worker takes no more connections: it drains, or its link failed. */
    void retiring(WorkerHandle worker);

    /**
     * A rolling restart replaced {@code old}: true if it was told to move its connections to
     * {@code replacement}, after which it drains and exits on its own; false to SIGTERM it.
     */
    default boolean moveConnections(WorkerHandle old, WorkerHandle replacement) {
        return false;
    }

    /** The worker exited; {@code crashed} when it died with its connections. */
    void gone(WorkerHandle worker, boolean crashed);

    /** Every slot has had a ready worker, for the first time. */
    void allReady();

    /** Workers keep failing before they even link: the master should stop. */
    void cannotBoot();
}
