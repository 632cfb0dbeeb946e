package dev.shout.it.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The fields a loaded manifest names that the Kubernetes API does not have. fabric8's model
 * keeps each one silently in its object's {@code additionalProperties}, where the API server
 * would refuse it or drop it: a misspelt {@code readinesProbe} would leave a pod with no
 * readiness probe and no error anywhere. This walks every model object under a resource.
 */
final class UnknownFields {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private UnknownFields() {
    }

    /** Each unknown field's path, e.g. {@code spec.template.spec.containers[0].readinesProbe}. */
    static List<String> in(Object resource) {
        List<String> found = new ArrayList<>();
        walk(resource, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", found);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> walk(child, path + "[" + key + "]", found));
        } else if (value != null && isModel(value.getClass())) {
            for (Method getter : childGetters(value.getClass())) {
                Object child = invoke(getter, value);
                if (!getter.getName().equals("getAdditionalProperties")) {
                    walk(child, join(path, property(getter)), found);
                } else if (child instanceof Map<?, ?> unknown) {
                    unknown.keySet().forEach(key -> found.add(join(path, key.toString())));
                }
            }
        }
    }

    private static boolean isModel(Class<?> type) {
        return type.getName().startsWith(MODEL_PACKAGE + ".");
    }

    /**
     * The getters that can lead to more model objects. Only these are called: others may compute
     * (a Quantity's numerical amount throws on a malformed one, which the API server reports).
     */
    private static List<Method> childGetters(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0)
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> isModel(m.getReturnType()) || List.class.isAssignableFrom(m.getReturnType())
                        || Map.class.isAssignableFrom(m.getReturnType()))
                .sorted(Comparator.comparing(Method::getName))
                .toList();
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }

    private static String property(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
