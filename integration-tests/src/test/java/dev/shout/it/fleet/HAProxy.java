package dev.shout.it.fleet;

import dev.shout.it.Await;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy, run in the foreground ({@code -db}) by the test in its own namespace, its log
 * ({@code log stdout}) in a file. Its configuration is checked ({@code -c}) before it starts.
 */
final class HAProxy implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Daemon daemon;
    private final RuntimeApi runtime;

    private HAProxy(Daemon daemon, RuntimeApi runtime) {
        this.daemon = daemon;
        this.runtime = runtime;
    }

    /** Starts HAProxy with {@code config}, whose stats socket is {@code socket}, and waits until that answers. */
    static HAProxy start(Path config, Path socket, Path log) {
        Command.run(Tools.path("haproxy"), "-c", "-q", "-f", config.toString());
        HAProxy haproxy = new HAProxy(Daemon.start("HAProxy", List.of(Tools.path("haproxy"), "-db", "-f",
                config.toString()), log), new RuntimeApi(socket));
        try {
            Await.until("HAProxy's runtime API at " + socket + " (log " + log + ")", WAIT, haproxy::answers);
            return haproxy;
        } catch (RuntimeException | AssertionError e) {
            haproxy.close();
            throw e;
        }
    }

    RuntimeApi runtime() {
        return runtime;
    }

    Path log() {
        return daemon.log();
    }

    private boolean answers() {
        daemon.assertRunning();
        try {
            return runtime.command("show info").contains("Name: HAProxy");
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}
