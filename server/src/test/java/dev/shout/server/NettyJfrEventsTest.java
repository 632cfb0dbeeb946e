package dev.shout.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Netty's JFR events are turned off unless the command line asked for them. */
@Timeout(10)
class NettyJfrEventsTest {

    private static final String PROPERTY = "io.netty.jfr.enabled";
    private final String before = System.getProperty(PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, before);
        }
    }

    @Test
    void offWhenNothingSaysOtherwise() {
        System.clearProperty(PROPERTY);
        NettyJfrEvents.offUnlessAsked();
        assertEquals("false", System.getProperty(PROPERTY));
    }

    @Test
    void anOperatorsChoiceStands() {
        System.setProperty(PROPERTY, "true");
        NettyJfrEvents.offUnlessAsked();
        assertEquals("true", System.getProperty(PROPERTY));
    }

    @Test
    void theOptionForAnotherJvmSaysTheSame() {
        assertEquals("-D" + PROPERTY + "=false", NettyJfrEvents.offOption());
    }
}
