package dev.shout.it.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The smallest valid Deployment, for the tests of the code that loads and reads manifests. */
final class MinimalDeployment {

    private MinimalDeployment() {
    }

    /** Three replicas of one container, {@code shout}, that has these fields too, each one line of YAML. */
    static String yaml(String... containerFields) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: shout
                spec:
                  replicas: 3
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
                """.formatted(String.join("\n" + " ".repeat(10), containerFields));
    }

    static Deployment of(String... containerFields) {
        return (Deployment) Manifests.parse(yaml(containerFields), "test").get(0);
    }
}
