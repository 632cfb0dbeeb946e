package dev.shout.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerPodTest {

    private static final String PORTS =
            "ports: [{name: shout, containerPort: 8080}, {name: metrics, containerPort: 9090}]";

    /** The pod of a Deployment whose one container has these fields besides its two ports. */
    private static ServerPod pod(String... containerFields) {
        return ServerPod.of(MinimalDeployment.of(Stream.concat(Stream.of(PORTS), Stream.of(containerFields))
                .toArray(String[]::new)));
    }

    @Test
    void flagsAreReadWithTheirValueApartOrAfterAnEqualsSign() {
        ServerPod pod = pod("args: [--workers, \"2\", --metrics-port=9090, --proxy-protocol]");

        assertEquals(Optional.of("2"), pod.flag("--workers"));
        assertEquals(9090, pod.metricsPort());
        assertEquals(Optional.empty(), pod.flag("--proxy-protocol"), "a flag without its value");
        assertEquals(Optional.empty(), pod.flag("--mode"));
    }

    @Test
    void aSettingIsTheFlagElseTheContainersEnvironmentElseTheImages() {
        String env = "env: [{name: SHOUT_SHUTDOWN_TIMEOUT, value: 250ms}]";

        assertEquals(Duration.ofMinutes(2), pod("args: [--shutdown-timeout, 2m]", env).shutdownTimeout());
        assertEquals(Duration.ofMillis(250), pod(env).shutdownTimeout());
        Matcher image = Pattern.compile("SHOUT_SHUTDOWN_TIMEOUT=(\\d+)s").matcher(Repository.read("Dockerfile"));
        assertTrue(image.find());
        assertEquals(Duration.ofSeconds(Long.parseLong(image.group(1))), pod("args: []").shutdownTimeout());
    }

    @Test
    void portsAreReadByNumberOrByTheNameOfAContainerPort() {
        ServerPod pod = pod("args: []");

        assertEquals(9090, pod.port(new IntOrString("metrics")));
        assertEquals(8080, pod.port(new IntOrString(8080)));
        assertThrows(AssertionError.class, () -> pod.port(new IntOrString("metric")));
        assertTrue(pod.exposes(9090));
        assertFalse(pod.exposes(9091));
    }

    @Test
    void thePreStopSleepIsAnExecOfSleepOrTheSleepAction() {
        assertEquals(Duration.ofSeconds(5), pod("lifecycle: {preStop: {exec: {command: [sleep, \"5\"]}}}")
                .preStopSleep());
        assertEquals(Duration.ofSeconds(7), pod("lifecycle: {preStop: {exec: {command: [/bin/sleep, \"7\"]}}}")
                .preStopSleep());
        assertEquals(Duration.ofSeconds(3), pod("lifecycle: {preStop: {sleep: {seconds: 3}}}").preStopSleep());
        assertThrows(AssertionError.class,
                () -> pod("lifecycle: {preStop: {exec: {command: [sh, -c, \"sleep 5\"]}}}").preStopSleep());
        assertThrows(AssertionError.class, () -> pod("args: []").preStopSleep());
    }
}
