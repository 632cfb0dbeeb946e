package dev.shout.server.process.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.ShoutServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker builds picocli's model on a second thread while its main thread sets up logging and
 * Netty (see {@link WorkerMain}): that is safe only while building the model sets up neither
 * logging (slf4j's {@code LoggerFactory}, Netty's {@code InternalLoggerFactory}) nor Netty's
 * native transport, which a fresh JVM here checks by the classes it loads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerMainTest {

    private static final List<String> SET_UP_ON_THE_MAIN_THREAD = List.of("org.slf4j.LoggerFactory",
            "io.netty.util.internal.logging.InternalLoggerFactory", "io.netty.channel.epoll.Epoll");

    /** Builds the command line in a JVM of its own, as a worker's model thread does, and nothing else. */
    public static void main(String[] args) {
        ShoutServer.commandLine();
    }

    @Test
    void buildingTheCommandLineSetsUpNeitherLoggingNorTheNativeTransport() throws IOException, InterruptedException {
        Process jvm = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                WorkerMainTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        String loaded = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, jvm.exitValue(), loaded);
        assertTrue(loaded.contains(" picocli.CommandLine "), "the model was not built:\n" + loaded);
        List<String> offLimits = loaded.lines()
                .filter(line -> SET_UP_ON_THE_MAIN_THREAD.stream().anyMatch(name -> line.contains(" " + name + " ")))
                .toList();
        assertEquals(List.of(), offLimits, "classes loaded by building the command line");
    }
}
