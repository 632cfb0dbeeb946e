package dev.shout.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** The version of a build, as its jar's manifest gives it; {@code dev} when run from classes. */
public final class BuildVersion {

    private static final String UNKNOWN = "dev";

    private BuildVersion() {
    }

    /** This build's. */
    public static String current() {
        return Optional.ofNullable(BuildVersion.class.getPackage().getImplementationVersion()).orElse(UNKNOWN);
    }

    /**
     * The build of the jar at {@code jar}, as a master names a new one before any worker runs it.
     *
     * @throws IOException if it is not a jar that can be read
     */
    public static String of(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String version = manifest == null ? null
                    : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            return version == null ? UNKNOWN : version;
        }
    }
}
