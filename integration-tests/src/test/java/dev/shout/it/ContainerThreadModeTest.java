package dev.shout.it;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The image in thread mode: one JVM serves every connection. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ContainerThreadModeTest extends ContainerContract {

    ContainerThreadModeTest() {
        super("thread");
    }
}
