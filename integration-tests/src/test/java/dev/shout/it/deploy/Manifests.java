package dev.shout.it.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Kubernetes manifests loaded into fabric8's API model about as strictly as the API server reads
 * them: a key given twice, a number or boolean where the API wants a string (an annotation
 * {@code prometheus.io/port: 9090}, an argument {@code - 2}), a string where it wants a number, or
 * a kind this class does not know is an error. Unknown fields are not: the model keeps them, and
 * {@link UnknownFields} finds them.
 */
final class Manifests {

    /** The kinds deploy/kubernetes may hold, by {@code apiVersion/kind}. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // For a model class without additionalProperties, if there is one: Jackson 3 ignores
            // unknown properties by default.
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .withCoercionConfig(LogicalType.Textual, textual -> textual
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, integer -> integer
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, bool -> bool
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();

    /** One resource and the file it came from, for messages. */
    record Manifest(String source, HasMetadata resource) {
        @Override
        public String toString() {
            return source + ": " + resource.getKind() + " " + resource.getMetadata().getName();
        }
    }

    private Manifests() {
    }

    /** Every resource of every YAML file under the directory, in file-name order. */
    static List<Manifest> under(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            List<Manifest> manifests = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
                String source = directory.relativize(file).toString();
                parse(Files.readString(file), source).forEach(r -> manifests.add(new Manifest(source, r)));
            }
            return manifests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resources of one YAML stream (documents separated by {@code ---}). */
    static List<HasMetadata> parse(String yaml, String source) {
        List<HasMetadata> resources = new ArrayList<>();
        for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (document.isNull() || document.isMissingNode()) {
                continue; // an empty document, e.g. after a trailing ---
            }
            String kind = document.path("apiVersion").asString("") + "/" + document.path("kind").asString("");
            Class<? extends HasMetadata> type = KINDS.get(kind);
            if (type == null) {
                throw new IllegalArgumentException(source + ": " + kind + " (expected one of " + KINDS.keySet() + ")");
            }
            resources.add(YAML.treeToValue(document, type));
        }
        return resources;
    }
}
