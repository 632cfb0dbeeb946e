package dev.shout.it.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.it.deploy.Manifests.Manifest;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests under deploy/kubernetes, loaded into the Kubernetes API model: they name no field
 * the API lacks, and every Deployment keeps the promises its comments make (ready only while it
 * can serve, never killed for a worker crash loop, drained before SIGKILL, non-root on a
 * read-only root with a writable /tmp, a memory limit that fits its JVMs, scraped by Prometheus).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubernetesManifestsTest {

    private static final Path DIRECTORY = Repository.path("deploy/kubernetes");

    /** The master waits this long past --shutdown-timeout for its workers, then kills them. */
    private static final Duration WORKERS_DEADLINE = Duration.ofSeconds(3);
    /** All workers' heaps together, as a share of the memory limit (JvmWorkerLauncher). */
    private static final double WORKERS_HEAP_SHARE = 0.35;
    /** A JVM's memory besides heap and direct buffers: 50-65 MiB resident, measured idle. */
    private static final long JVM_OVERHEAD_BYTES = 64L << 20;

    private static final String PROXY_PROTOCOL_ANNOTATION =
            "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol";
    private static final Set<String> PROXY_PROTOCOL_ON = Set.of("v1", "v2", "any");

    private static List<Manifest> manifests() {
        return Manifests.under(DIRECTORY);
    }

    private static <T> List<T> all(Class<T> kind) {
        return manifests().stream().map(Manifest::resource).filter(kind::isInstance).map(kind::cast).toList();
    }

    static Stream<Named<ServerPod>> pods() {
        return manifests().stream().filter(m -> m.resource() instanceof Deployment)
                .map(m -> Named.of(m.toString(), ServerPod.of((Deployment) m.resource())));
    }

    /** A test run once for the pods of each Deployment. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.shout.it.deploy.KubernetesManifestsTest#pods")
    @interface ForEachPod {
    }

    @Test
    void everyManifestNamesOnlyFieldsTheApiKnows() {
        List<String> unknown = manifests().stream()
                .flatMap(m -> UnknownFields.in(m.resource()).stream().map(field -> m + ": " + field))
                .toList();

        assertEquals(List.of(), unknown);
    }

    @Test
    void theDirectoryHoldsTheServerItsServiceItsBudgetAndAProxyProtocolExample() {
        Set<String> found = manifests().stream()
                .map(m -> m.source() + " " + m.resource().getKind() + (m.resource() instanceof Service s
                        ? " " + s.getSpec().getType() : ""))
                .collect(Collectors.toSet());

        assertTrue(found.containsAll(Set.of("deployment.yaml Deployment", "service.yaml Service ClusterIP",
                "pdb.yaml PodDisruptionBudget", "service-loadbalancer-proxy.yaml Service LoadBalancer")),
                found::toString);
    }

    @ForEachPod
    void readinessAsksForHealthOnTheMetricsPort(ServerPod pod) {
        Probe readiness = pod.container().getReadinessProbe();
        assertNotNull(readiness, "no readinessProbe");
        HTTPGetAction get = readiness.getHttpGet();
        assertNotNull(get, "readinessProbe is not an httpGet");

        assertEquals("/health", get.getPath());
        assertEquals(pod.metricsPort(), pod.port(get.getPort()));
    }

    @ForEachPod
    void livenessHoldsWhileWorkersRestart(ServerPod pod) {
        Probe liveness = pod.container().getLivenessProbe();
        assertNotNull(liveness, "no livenessProbe");

        // /health is 503 while every worker is restarting; the master that answers these two
        // does not depend on its workers.
        boolean portOpen = liveness.getTcpSocket() != null
                && pod.port(liveness.getTcpSocket().getPort()) == pod.metricsPort();
        boolean scrape = liveness.getHttpGet() != null && "/metrics".equals(liveness.getHttpGet().getPath())
                && pod.port(liveness.getHttpGet().getPort()) == pod.metricsPort();
        assertTrue(portOpen || scrape,
                "livenessProbe must be a tcpSocket or an httpGet /metrics on the metrics port, not " + liveness);
    }

    @ForEachPod
    void theGracePeriodOutlastsThePreStopTheDrainAndTheWorkersDeadline(ServerPod pod) {
        Long grace = pod.spec().getTerminationGracePeriodSeconds();
        assertNotNull(grace, "terminationGracePeriodSeconds");
        Duration preStop = pod.preStopSleep();
        Duration drain = pod.shutdownTimeout();

        Duration needed = preStop.plus(drain).plus(WORKERS_DEADLINE);
        assertTrue(Duration.ofSeconds(grace).compareTo(needed) >= 0, "terminationGracePeriodSeconds " + grace
                + " s < preStop " + preStop.toSeconds() + " s + drain " + drain.toMillis() / 1000.0 + " s + 3 s");
    }

    @ForEachPod
    void runsAsTheImagesUserOnAReadOnlyRootFilesystem(ServerPod pod) {
        SecurityContext container = Objects.requireNonNullElseGet(pod.container().getSecurityContext(),
                SecurityContext::new);
        PodSecurityContext defaults = Objects.requireNonNullElseGet(pod.spec().getSecurityContext(),
                PodSecurityContext::new);

        assertAll(
                () -> assertEquals(Boolean.TRUE, either(container.getRunAsNonRoot(), defaults.getRunAsNonRoot()),
                        "runAsNonRoot"),
                () -> assertEquals(10001L, either(container.getRunAsUser(), defaults.getRunAsUser()), "runAsUser"),
                () -> assertEquals(Boolean.TRUE, container.getReadOnlyRootFilesystem(), "readOnlyRootFilesystem"),
                () -> assertEquals(Boolean.FALSE, container.getAllowPrivilegeEscalation(), "allowPrivilegeEscalation"),
                () -> assertEquals(List.of("ALL"), container.getCapabilities() == null ? null
                        : container.getCapabilities().getDrop(), "capabilities.drop"));
    }

    @ForEachPod
    void tmpIsAWritableEmptyDir(ServerPod pod) {
        List<VolumeMount> tmp = pod.container().getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/tmp")).toList();
        assertEquals(1, tmp.size(), "volumeMounts on /tmp");
        assertNotEquals(Boolean.TRUE, tmp.get(0).getReadOnly(), "/tmp mounted readOnly");

        Optional<Volume> volume = pod.spec().getVolumes().stream()
                .filter(v -> v.getName().equals(tmp.get(0).getName())).findFirst();
        assertTrue(volume.isPresent(), "no volume " + tmp.get(0).getName());
        assertNotNull(volume.get().getEmptyDir(), "/tmp is not an emptyDir");
    }

    @ForEachPod
    void theMemoryLimitHoldsTheHeapsTheirDirectBuffersAndEachJvm(ServerPod pod) {
        assertEquals(List.of(), pod.container().getCommand(),
                "command replaces the image's ENTRYPOINT, which sizes the master's heap");
        assertEquals(Optional.empty(), pod.flag("--worker-jvm-opts"),
                "the arithmetic assumes the workers' default heaps");
        Map<String, Quantity> limits = pod.container().getResources() == null ? null
                : pod.container().getResources().getLimits();
        assertTrue(limits != null && limits.containsKey("memory"), "no memory limit");
        double limit = Quantity.getAmountInBytes(limits.get("memory")).doubleValue();
        int workers = Integer.parseInt(pod.flag("--workers")
                .orElseThrow(() -> new AssertionError("no --workers: the default follows the CPUs the JVM sees")));

        // Netty's direct buffers may take as much again as each heap (its default cap).
        double heaps = (ServerPod.masterHeapShare() + WORKERS_HEAP_SHARE) * limit;
        double besides = limit - 2 * heaps;
        long needed = (1 + workers) * JVM_OVERHEAD_BYTES;
        assertTrue(besides >= needed, String.format("%s leaves %.0f MiB besides heaps and direct buffers;"
                + " the master and %d workers need %d MiB", limits.get("memory"), besides / (1 << 20), workers,
                needed >> 20));
    }

    @ForEachPod
    void prometheusIsToldWhereTheMetricsAre(ServerPod pod) throws UnknownHostException {
        Map<String, String> annotations = pod.template().getMetadata().getAnnotations();

        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(Integer.toString(pod.metricsPort()), annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
        assertTrue(pod.exposes(pod.metricsPort()), "the metrics port is not a containerPort");
        // Prometheus and the kubelet reach it at the pod's address, which a manifest cannot name.
        String host = pod.flag("--metrics-host").orElseGet(() -> pod.setting("--host", "SHOUT_HOST"));
        assertTrue(InetAddress.getByName(host).isAnyLocalAddress(), "--metrics-host " + host);
    }

    @Test
    void everyServiceSelectsThePodsOfOneDeploymentAndTheirPorts() {
        for (Service service : all(Service.class)) {
            ServerPod pod = ServerPod.of(selectedBy(service));
            for (ServicePort port : service.getSpec().getPorts()) {
                assertTrue(pod.exposes(pod.port(port.getTargetPort())),
                        "Service " + service.getMetadata().getName() + " port " + port.getName());
            }
        }
    }

    @Test
    void everyDeploymentSelectsItsOwnPodsAndHasOneDisruptionBudget() {
        List<PodDisruptionBudget> budgets = all(PodDisruptionBudget.class);
        for (Deployment deployment : all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            assertTrue(selects(deployment.getSpec().getSelector(), podLabels(deployment)), name + " selector");
            assertEquals(1, budgets.stream().filter(b -> selects(b.getSpec().getSelector(), podLabels(deployment)))
                    .count(), "PodDisruptionBudgets covering " + name);
        }
        for (PodDisruptionBudget budget : budgets) {
            assertEquals(1, all(Deployment.class).stream()
                    .filter(d -> selects(budget.getSpec().getSelector(), podLabels(d))).count(),
                    "Deployments covered by " + budget.getMetadata().getName());
        }
    }

    @Test
    void proxyProtocolIsOnExactlyInThePodsBehindABalancerThatSendsIt() {
        int balancersSending = 0;
        for (Service service : all(Service.class)) {
            String name = "Service " + service.getMetadata().getName();
            Map<String, String> annotations = Objects.requireNonNullElse(service.getMetadata().getAnnotations(),
                    Map.of());
            ServerPod pod = ServerPod.of(selectedBy(service));
            String proxyProtocol = pod.flag("--proxy-protocol").orElse("off");
            if ("*".equals(annotations.get(PROXY_PROTOCOL_ANNOTATION))) {
                balancersSending++;
                assertEquals("LoadBalancer", service.getSpec().getType(), name);
                assertTrue(PROXY_PROTOCOL_ON.contains(proxyProtocol), name + ": its pods run --proxy-protocol "
                        + proxyProtocol);
                assertTrue(pod.flag("--proxy-trusted").filter(cidrs -> !cidrs.isBlank()).isPresent(),
                        name + ": its pods trust no balancer (--proxy-trusted)");
            } else {
                // Such pods close every connection from an untrusted address: these clients' own.
                assertEquals("off", proxyProtocol, name + " sends no PROXY header");
            }
        }
        assertEquals(1, balancersSending, "LoadBalancer Services that send the PROXY protocol");
    }

    /** The one Deployment whose pods the Service selects. */
    private static Deployment selectedBy(Service service) {
        Map<String, String> selector = service.getSpec().getSelector();
        List<Deployment> selected = all(Deployment.class).stream()
                .filter(d -> selector != null && podLabels(d).entrySet().containsAll(selector.entrySet()))
                .toList();
        assertEquals(1, selected.size(), "Deployments selected by Service " + service.getMetadata().getName());
        return selected.get(0);
    }

    private static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(),
                "this test reads matchLabels only");
        return !selector.getMatchLabels().isEmpty()
                && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static <T> T either(T first, T second) {
        return first != null ? first : second;
    }
}
