package dev.shout.it.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Files of the repository that the deploy tests check, read from the checkout Maven runs in. */
public final class Repository {

    private Repository() {
    }

    public static Path path(String relative) {
        String root = Objects.requireNonNull(System.getProperty("shout.repository"),
                "system property shout.repository, which integration-tests/pom.xml sets");
        return Path.of(root).resolve(relative).toAbsolutePath().normalize();
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
