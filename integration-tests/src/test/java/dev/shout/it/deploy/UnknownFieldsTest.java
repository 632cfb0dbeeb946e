package dev.shout.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnknownFieldsTest {

    @Test
    void aManifestOfKnownFieldsHasNone() {
        assertEquals(List.of(), UnknownFields.in(MinimalDeployment.of(
                "readinessProbe: {httpGet: {path: /health, port: 9090}}", "resources: {limits: {memory: 2Gi}}")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "readinesProbe: {httpGet: {path: /health}} | spec.template.spec.containers[0].readinesProbe",
        "readinessProbe: {httpGet: {pth: /health}} | spec.template.spec.containers[0].readinessProbe.httpGet.pth",
        "resources: {limit: {cpu: 2}}              | spec.template.spec.containers[0].resources.limit",
    })
    void aMisspeltFieldIsReportedWithItsPath(String field, String path) {
        assertEquals(List.of(path), UnknownFields.in(MinimalDeployment.of(field)));
    }

    @Test
    void aMisspeltTopLevelFieldIsReported() {
        assertEquals(List.of("metdata"), UnknownFields.in(Manifests.parse("""
                apiVersion: v1
                kind: Service
                metdata: {name: shout}
                spec: {selector: {app: shout}}
                """, "test").get(0)));
    }

    @Test
    void everyUnknownFieldIsReported() {
        assertEquals(List.of("spec.template.spec.containers[0].livenesProbe",
                "spec.template.spec.containers[0].readinessProbe.periodSecond"),
                UnknownFields.in(MinimalDeployment.of("readinessProbe: {periodSecond: 5}",
                        "livenesProbe: {periodSeconds: 5}")));
    }
}
