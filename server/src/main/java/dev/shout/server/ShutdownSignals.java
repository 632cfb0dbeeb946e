package dev.shout.server;

import dev.shout.server.transport.ProcessIdentity;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT ask for a graceful shutdown; SIGHUP, where a handler is given, for a
 * reload. Handled directly rather than with a shutdown hook, because a JVM that exits from
 * a hook on SIGTERM reports 143, and a clean shutdown must exit 0.
 */
public final class ShutdownSignals {

    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private final CountDownLatch shutdown = new CountDownLatch(1);

    private ShutdownSignals() {
    }

    /**
     * Installs the handlers. SIGHUP is always handled, so that it never ends a process the way
     * the JVM's default would: {@code onHangup} is what it does here.
     */
    public static ShutdownSignals install(Runnable onHangup) {
        ShutdownSignals signals = new ShutdownSignals();
        Signal.handle(new Signal("TERM"), signals::requestShutdown);
        Signal.handle(new Signal("INT"), signals::requestShutdown);
        Signal.handle(new Signal("HUP"), signal -> {
            nameSignalThread();
            log.info("SIGHUP received");
            onHangup.run();
        });
        return signals;
    }

    private void requestShutdown(Signal signal) {
        nameSignalThread();
        log.info("SIG{} received", signal.getName());
        shutdown.countDown();
    }

    /** The JVM runs handlers on a fresh thread; naming it keeps the process in the log line. */
    private static void nameSignalThread() {
        Thread.currentThread().setName(ProcessIdentity.threadPrefix("signal"));
    }

    /** Asks for shutdown as a signal would; for shutdowns the server decides itself. */
    public void requestShutdown() {
        shutdown.countDown();
    }

    public void awaitShutdown() {
        try {
            shutdown.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
