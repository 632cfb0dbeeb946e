package dev.shout.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the jars under test are: Maven packages them before this module's tests run. */
public final class Jars {

    private Jars() {
    }

    public static String server() {
        return existing("shout.server.jar");
    }

    public static String client() {
        return existing("shout.client.jar");
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String existing(String property) {
        String path = System.getProperty(property);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException(property + " is not a built jar (" + path + "): run 'mvn verify' from the root");
        }
        return Path.of(path).normalize().toString();
    }
}
