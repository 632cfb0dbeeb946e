package dev.shout.server.process.supervision;

import java.util.function.Consumer;

/** Writes each event the supervisor reports on the test's timeline, beside the launches and signals. */
final class RecordingEvents implements SupervisorEvents {

    private final Consumer<String> timeline;

    RecordingEvents(Consumer<String> timeline) {
        this.timeline = timeline;
    }

    @Override
    public void ready(WorkerHandle worker) {
        timeline.accept("ready " + worker.pid());
    }

    @Override
    public void retiring(WorkerHandle worker) {
        timeline.accept("retiring " + worker.pid());
    }

    @Override
    public void gone(WorkerHandle worker, boolean crashed) {
        timeline.accept((crashed ? "crashed " : "gone ") + worker.pid());
    }

    @Override
    public void allReady() {
        timeline.accept("all ready");
    }

    @Override
    public void cannotBoot() {
        timeline.accept("cannot boot");
    }
}
