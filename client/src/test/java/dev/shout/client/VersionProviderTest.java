package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class VersionProviderTest {

    @Test
    void classesOutsideTheJarSayTheyAreADevelopmentBuild() throws Exception {
        // The tests run from target/classes, where Maven has not yet written pom.properties.
        assertEquals("shout (development build)", new VersionProvider().getVersion()[0]);
    }
}
