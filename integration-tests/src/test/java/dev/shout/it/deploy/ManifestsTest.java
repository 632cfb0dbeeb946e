package dev.shout.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ManifestsTest {

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: shout
              annotations:
                prometheus.io/port: "9090"
            spec:
              selector: {app: shout}
              ports: [{port: 8080}]
            """;

    private static final String DEPLOYMENT = MinimalDeployment.yaml(
            "args: [--workers, \"2\"]", "resources: {limits: {cpu: 2, memory: 2Gi}}");

    /** Manifests the API server refuses although the model would take them. */
    static Stream<Named<String>> refused() {
        return Stream.of(
                Named.of("a key given twice", DEPLOYMENT.replace("replicas: 3", "replicas: 3\n  replicas: 2")),
                Named.of("a number for an annotation", SERVICE.replace("\"9090\"", "9090")),
                Named.of("a number for an argument", DEPLOYMENT.replace("\"2\"", "2")),
                Named.of("a string for a number", DEPLOYMENT.replace("replicas: 3", "replicas: \"3\"")));
    }

    @Test
    void aStreamOfDocumentsGivesEachResourceInOrder() {
        List<HasMetadata> resources = Manifests.parse(SERVICE + "---\n" + DEPLOYMENT + "---\n", "test");

        assertEquals(2, resources.size());
        Service service = (Service) resources.get(0);
        assertEquals("9090", service.getMetadata().getAnnotations().get("prometheus.io/port"));
        Deployment deployment = (Deployment) resources.get(1);
        assertEquals(3, deployment.getSpec().getReplicas());
        assertEquals(List.of("--workers", "2"),
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void whatTheApiServerRefusesIsRejected(String yaml) {
        assertThrows(JacksonException.class, () -> Manifests.parse(yaml, "test"));
    }

    @Test
    void aKindOrVersionNotListedIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Manifests.parse(DEPLOYMENT.replace("apps/v1", "extensions/v1beta1"), "old.yaml"));

        assertTrue(e.getMessage().startsWith("old.yaml: extensions/v1beta1/Deployment (expected one of"),
                e.getMessage());
    }
}
