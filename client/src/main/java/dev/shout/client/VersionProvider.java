package dev.shout.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Reads the version Maven records inside the jar, so that it is written down in the pom only.
 * Classes run straight from an IDE or from the tests have no such record and say so.
 */
public final class VersionProvider implements IVersionProvider {

    private static final String POM_PROPERTIES = "/META-INF/maven/dev.shout/shout-client/pom.properties";

    @Override
    public String[] getVersion() throws IOException {
        try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return new String[] {"shout (development build)"};
            }
            Properties pom = new Properties();
            pom.load(in);
            return new String[] {"shout " + pom.getProperty("version")};
        }
    }
}
