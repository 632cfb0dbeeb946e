package dev.shout.server;

import java.util.Optional;

/** The version of this build, as the jar's manifest gives it; {@code dev} when run from classes. */
public final class BuildVersion {

    private BuildVersion() {
    }

    public static String current() {
        return Optional.ofNullable(BuildVersion.class.getPackage().getImplementationVersion()).orElse("dev");
    }
}
