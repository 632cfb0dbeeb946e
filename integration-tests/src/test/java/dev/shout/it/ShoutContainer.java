package dev.shout.it;

import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;

/**
 * The image running as {@code docker run --network host IMAGE ARGS...} would run it: on the
 * host's network, so tests reach it on 127.0.0.1 at a port they chose (passed as SHOUT_PORT;
 * there are no mapped ports). Its log is followed line by line; {@link #requestStop()} is
 * {@code docker stop --time GRACE}, and {@link #close()} removes the container.
 */
final class ShoutContainer implements RunningServer, AutoCloseable {

    /** How long {@code docker stop} waits for the container before SIGKILL when not told otherwise. */
    static final Duration DOCKER_DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    private final GenericContainer<?> container;
    private final LogLines log = new LogLines();
    private final Duration stopGrace;
    private final int port;

    @SuppressWarnings("resource") // closed by close()
    private ShoutContainer(Future<String> image, Duration stopGrace, Map<Path, String> files, String... serverArgs) {
        this.stopGrace = stopGrace;
        port = FreePorts.one();
        container = new GenericContainer<>(image)
                .withNetworkMode("host")
                .withEnv("SHOUT_PORT", Integer.toString(port))
                .withCommand(serverArgs)
                .withLogConsumer(this::follow);
        files.forEach((file, inContainer) -> container.withFileSystemBind(file.toString(), inContainer, BindMode.READ_ONLY));
    }

    /**
     * Starts a container of {@code image} with {@code serverArgs} as its {@code docker run}
     * arguments and waits for the server's start line; {@code stopGrace} is for {@link #requestStop()}.
     * {@code files} are mounted read-only, each at its path in the container ({@code docker run -v FILE:PATH:ro}).
     */
    static ShoutContainer start(Future<String> image, Duration stopGrace, Map<Path, String> files,
            String... serverArgs) {
        ShoutContainer started = new ShoutContainer(image, stopGrace, files, serverArgs);
        try {
            started.container.start();
            started.awaitLog(START_LINE.pattern());
            return started;
        } catch (RuntimeException | AssertionError e) {
            started.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String awaitLog(String regex) {
        return log.await(Pattern.compile(regex), START_TIMEOUT);
    }

    @Override
    public String logText() {
        return log.text();
    }

    /** Runs a shell command inside the container, as the image's user, and returns its output. */
    String shell(String command) {
        try {
            ExecResult result = container.execInContainer("sh", "-c", command);
            if (result.getExitCode() != 0) {
                throw new AssertionError("'" + command + "' exited " + result.getExitCode() + " in the container: "
                        + result.getStderr());
            }
            return result.getStdout();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code docker stop}: SIGTERM to the JVM, SIGKILL after the grace. It blocks, so it runs aside. */
    @Override
    public void requestStop() {
        Thread stopper = new Thread(() -> container.getDockerClient().stopContainerCmd(container.getContainerId())
                .withTimeout((int) stopGrace.toSeconds()).exec(), "docker-stop-" + port);
        stopper.setDaemon(true);
        stopper.start();
    }

    @Override
    public int awaitExit(Duration timeout) {
        Await.until("the container to stop", timeout, () -> !state().getRunning());
        return state().getExitCodeLong().intValue();
    }

    /** Removes the container, killing it if it still runs. */
    @Override
    public void close() {
        container.stop();
    }

    private ContainerState state() {
        return container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec().getState();
    }

    private void follow(OutputFrame frame) {
        if (frame.getType() == OutputFrame.OutputType.END) {
            log.end();
        } else {
            log.add(frame.getUtf8StringWithoutLineEnding());
        }
    }
}
