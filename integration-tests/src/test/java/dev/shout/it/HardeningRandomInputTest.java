package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two thousand random payloads per mode, binary or UTF-8 text with broken sequences, empty to
 * 4 MiB (most small), each on its own connection, sent in writes of random sizes and
 * half-closed after the last, sixteen at a time. Every reply, read to the end, must be byte for
 * byte what an independent reference implementation of the transform makes of the payload.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HardeningRandomInputTest {

    private static final int AT_ONCE = 16;
    /** How many failed cases a failure lists. */
    private static final int SHOWN = 10;

    @RegisterExtension
    static final Servers servers = new Servers("random-input");

    /** Each transform, how many cases it gets in each mode, and what it must send back. */
    enum Transform {
        UPPER("upper", 1_600, UpperReference::upper),
        ASCII_UPPER("ascii-upper", 200, Reference::asciiUpper),
        ECHO("echo", 200, UnaryOperator.identity());

        final String flag;
        final int cases;
        final UnaryOperator<byte[]> reference;

        Transform(String flag, int cases, UnaryOperator<byte[]> reference) {
            this.flag = flag;
            this.cases = cases;
            this.reference = reference;
        }
    }

    static Stream<Arguments> modesAndTransforms() {
        return Stream.of(ServerMode.values())
                .flatMap(mode -> Stream.of(Transform.values()).map(transform -> Arguments.of(mode, transform)));
    }

    @ParameterizedTest(name = "{1} in {0} mode")
    @MethodSource("modesAndTransforms")
    void everyRandomPayloadComesBackAsTheReferenceTransformsIt(ServerMode mode, Transform transform) throws Exception {
        int port = servers.get(mode, "--transform", transform.flag).port();
        ExecutorService clients = Executors.newFixedThreadPool(AT_ONCE);
        try {
            List<Future<String>> cases = new ArrayList<>();
            for (int n = 0; n < transform.cases; n++) {
                long seed = Objects.hash(mode, transform, n);
                cases.add(clients.submit(() -> mismatch(port, transform, seed)));
            }
            List<String> failed = new ArrayList<>();
            for (Future<String> result : cases) {
                String mismatch = result.get();
                if (mismatch != null) {
                    failed.add(mismatch);
                }
            }
            assertEquals(List.of(), failed.subList(0, Math.min(SHOWN, failed.size())),
                    failed.size() + " of " + transform.cases + " cases failed");
        } finally {
            clients.shutdownNow();
        }
    }

    /** Runs the case {@code seed} makes; null if the reply is right, else what is wrong with it. */
    private static String mismatch(int port, Transform transform, long seed) throws IOException {
        Random random = new Random(seed);
        int size = RandomInput.size(random);
        boolean binary = random.nextBoolean();
        byte[] payload = binary ? RandomInput.binary(random, size) : RandomInput.brokenText(random, size);
        byte[] expected = transform.reference.apply(payload);
        byte[] reply = TcpClient.exchange(port, payload, random);
        int differsAt = Arrays.mismatch(expected, reply);
        return differsAt < 0 ? null : String.format("seed %d: %s of %d bytes: %d bytes back instead of %d,"
                + " first wrong at %d", seed, binary ? "binary" : "text", payload.length, reply.length,
                expected.length, differsAt);
    }
}
