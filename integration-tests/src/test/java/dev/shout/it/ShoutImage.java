package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image under test, built on first use from the repository's own Dockerfile and build
 * context (its .dockerignore applies), as {@code docker build .} would, and removed on close:
 * with Ryuk disabled, Testcontainers would leave a tagged image behind.
 */
final class ShoutImage implements AutoCloseable {

    private static final Pattern DEFAULT_BASE = Pattern.compile("(?m)^ARG BASE_IMAGE=(\\S+)$");

    private final ImageFromDockerfile image = new ImageFromDockerfile()
            .withDockerfile(dockerfile())
            .withBuildArg("BASE_IMAGE", baseImage());

    /**
     * The FROM image: -Dshout.docker.baseImage, else env SHOUT_BASE_IMAGE, else the Dockerfile's
     * own default.
     */
    static String baseImage() {
        String chosen = System.getProperty("shout.docker.baseImage", System.getenv("SHOUT_BASE_IMAGE"));
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        Matcher declared = DEFAULT_BASE.matcher(read(dockerfile()));
        if (!declared.find()) {
            throw new IllegalStateException(dockerfile() + " declares no 'ARG BASE_IMAGE=<default>'");
        }
        return declared.group(1);
    }

    /** The image's name, once built: what a container is started from. */
    Future<String> name() {
        return image;
    }

    @Override
    public void close() {
        if (image.isDone()) {
            DockerClientFactory.instance().client().removeImageCmd(image.getDockerImageName()).withForce(true).exec();
        }
    }

    private static Path dockerfile() {
        String path = Objects.requireNonNull(System.getProperty("shout.dockerfile"),
                "system property shout.dockerfile, which integration-tests/pom.xml sets");
        return Path.of(path).toAbsolutePath().normalize();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
