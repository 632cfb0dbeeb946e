package dev.shout.it;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Whether the container tests can run here. Without a Docker engine, or without the base image
 * (nothing is pulled: these machines reach no registry), they are skipped with one line saying
 * why, unless Docker is required (-Dshout.docker.required=true or SHOUT_DOCKER_REQUIRED=true,
 * as CI sets it), in which case they fail at once naming what is missing.
 */
final class DockerAvailability {

    private static boolean skipAnnounced;

    private DockerAvailability() {
    }

    /** Skips or fails the calling test class unless the engine answers and has {@code baseImage}. */
    static void requireEngineWith(String baseImage) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            unavailable("Docker engine not reachable (" + wherever() + ")");
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(baseImage).exec();
        } catch (NotFoundException e) {
            unavailable("base image " + baseImage + " is not in the local Docker engine, and these tests never pull: "
                    + "'docker pull " + baseImage + "', or build one without a registry with scripts/docker-airgap.sh "
                    + "and pass it as SHOUT_BASE_IMAGE or -Dshout.docker.baseImage");
        }
    }

    private static boolean required() {
        return Boolean.getBoolean("shout.docker.required") || "true".equalsIgnoreCase(System.getenv("SHOUT_DOCKER_REQUIRED"));
    }

    /** Where Testcontainers looked: DOCKER_HOST first, then the usual sockets. */
    private static String wherever() {
        String host = System.getenv("DOCKER_HOST");
        return host == null ? "DOCKER_HOST unset, nothing at unix:///var/run/docker.sock"
                : "nothing at DOCKER_HOST=" + host + " nor at unix:///var/run/docker.sock";
    }

    private static synchronized void unavailable(String what) {
        if (required()) {
            throw new AssertionError(what + ": container tests cannot run, and Docker is required here"
                    + " (shout.docker.required / SHOUT_DOCKER_REQUIRED)");
        }
        String skip = what + ": container tests skipped (set SHOUT_DOCKER_REQUIRED=true to fail instead)";
        if (!skipAnnounced) {
            skipAnnounced = true;
            System.err.println(skip);
        }
        Assumptions.abort(skip);
    }
}
