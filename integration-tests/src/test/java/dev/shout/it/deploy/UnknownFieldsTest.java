package dev.shout.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnknownFieldsTest {

    /** A Deployment whose one container has these fields too, each one line of YAML. */
    private static String deploymentWithContainerFields(String... fields) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: shout
                spec:
                  selector:
                    matchLabels: {app: shout}
                  template:
                    metadata:
                      labels: {app: shout}
                    spec:
                      containers:
                        - name: shout
                          image: shout:latest
                          %s
                          resources:
                            limits: {memory: 2Gi}
                """.formatted(String.join("\n" + " ".repeat(10), fields));
    }

    private static List<String> unknownIn(String yaml) {
        return UnknownFields.in(Manifests.parse(yaml, "test").get(0));
    }

    @Test
    void aManifestOfKnownFieldsHasNone() {
        assertEquals(List.of(),
                unknownIn(deploymentWithContainerFields("readinessProbe: {httpGet: {path: /health, port: 9090}}")));
    }

    @Test
    void aMisspeltContainerFieldIsReportedWithItsPath() {
        assertEquals(List.of("spec.template.spec.containers[0].readinesProbe"),
                unknownIn(deploymentWithContainerFields("readinesProbe: {httpGet: {path: /health, port: 9090}}")));
    }

    @Test
    void aMisspeltFieldDeepInsideIsReported() {
        assertEquals(List.of("spec.template.spec.containers[0].readinessProbe.httpGet.pth"),
                unknownIn(deploymentWithContainerFields("readinessProbe: {httpGet: {pth: /health, port: 9090}}")));
    }

    @Test
    void aMisspeltTopLevelFieldIsReported() {
        assertEquals(List.of("metdata"), unknownIn("""
                apiVersion: v1
                kind: Service
                metdata: {name: shout}
                spec: {selector: {app: shout}}
                """));
    }

    @Test
    void everyUnknownFieldIsReported() {
        assertEquals(List.of("spec.template.spec.containers[0].livenesProbe",
                "spec.template.spec.containers[0].readinessProbe.periodSecond"),
                unknownIn(deploymentWithContainerFields(
                        "readinessProbe: {periodSecond: 5}", "livenesProbe: {periodSeconds: 5}")));
    }
}
