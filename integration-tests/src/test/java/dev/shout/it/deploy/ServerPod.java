package dev.shout.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Deployment's pod as the server in it sees it: its one container's command line, with the
 * container's environment and then the image's (Dockerfile {@code ENV}) under the flags that
 * have a variable; its ports; how long its preStop hook holds SIGTERM back.
 */
record ServerPod(PodTemplateSpec template, Container container) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Map<String, ChronoUnit> DURATION_UNITS = Map.of(
            "ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS);
    private static final Pattern SLEEP = Pattern.compile("(/usr)?(/bin/)?sleep");
    private static final Pattern MASTER_HEAP_PERCENT = Pattern.compile("\"-XX:MaxRAMPercentage=(\\d+(\\.\\d+)?)\"");

    static ServerPod of(Deployment deployment) {
        PodTemplateSpec template = deployment.getSpec().getTemplate();
        List<Container> containers = template.getSpec().getContainers();
        assertEquals(1, containers.size(), deployment.getMetadata().getName() + ": containers");
        return new ServerPod(template, containers.get(0));
    }

    PodSpec spec() {
        return template.getSpec();
    }

    /** A flag's value in the container's args, given as {@code --flag value} or {@code --flag=value}. */
    Optional<String> flag(String name) {
        List<String> args = container.getArgs();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                return Optional.of(args.get(i + 1));
            }
            if (args.get(i).startsWith(name + "=")) {
                return Optional.of(args.get(i).substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** A flag that has an environment variable: the flag, else the container's env, else the image's. */
    String setting(String flag, String variable) {
        return flag(flag)
                .or(() -> container.getEnv().stream().filter(e -> e.getName().equals(variable))
                        .map(EnvVar::getValue).findFirst())
                .orElseGet(() -> imageEnv(variable));
    }

    Duration shutdownTimeout() {
        return duration(setting("--shutdown-timeout", "SHOUT_SHUTDOWN_TIMEOUT"));
    }

    int metricsPort() {
        return Integer.parseInt(flag("--metrics-port").orElseThrow(() -> new AssertionError("no --metrics-port")));
    }

    boolean exposes(int port) {
        return container.getPorts().stream().anyMatch(p -> p.getContainerPort() == port);
    }

    /** A port given by number or by the name of one of the container's ports. */
    int port(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    /** How long the preStop hook sleeps: an exec of {@code sleep SECONDS}, or the sleep action. */
    Duration preStopSleep() {
        LifecycleHandler preStop = container.getLifecycle() == null ? null : container.getLifecycle().getPreStop();
        assertNotNull(preStop,
                "no preStop: SIGTERM would close the listening socket while endpoints still send to it");
        if (preStop.getSleep() != null) {
            return Duration.ofSeconds(preStop.getSleep().getSeconds());
        }
        List<String> command = preStop.getExec() == null ? List.of() : preStop.getExec().getCommand();
        if (command.size() == 2 && SLEEP.matcher(command.get(0)).matches() && command.get(1).matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(command.get(1)));
        }
        return fail("preStop is neither [sleep, SECONDS] nor a sleep action: " + preStop);
    }

    /** The master's heap as a share of the memory limit: the image's ENTRYPOINT sets it. */
    static double masterHeapShare() {
        Matcher matcher = MASTER_HEAP_PERCENT.matcher(Repository.read("Dockerfile"));
        assertTrue(matcher.find(), "the Dockerfile's ENTRYPOINT sets no -XX:MaxRAMPercentage");
        return Double.parseDouble(matcher.group(1)) / 100;
    }

    private static String imageEnv(String variable) {
        Matcher matcher = Pattern.compile("\\b" + variable + "=(\\S+)").matcher(Repository.read("Dockerfile"));
        assertTrue(matcher.find(), "the image sets no " + variable);
        return matcher.group(1);
    }

    /** A duration as the server reads one: 250ms, 10s, 5m, 1h. */
    private static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        assertTrue(matcher.matches(), "not a duration: " + text);
        return Duration.of(Long.parseLong(matcher.group(1)), DURATION_UNITS.get(matcher.group(2)));
    }
}
