package dev.shout.server.transform;

import static dev.shout.server.transform.TransformTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EchoTransformTest {

    @Test
    void sendsEveryByteBackUnchanged() {
        byte[] bytes = new byte[10_000];
        new Random(3).nextBytes(bytes);
        assertArrayEquals(bytes, run(TransformKind.ECHO, bytes, 1, 4096));
    }
}
