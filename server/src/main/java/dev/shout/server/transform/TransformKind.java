package dev.shout.server.transform;

import java.util.Arrays;
import java.util.function.Supplier;

/** The transforms a server can apply, by the name used on the command line. */
public enum TransformKind {
    UPPER("upper", Utf8UpperTransform::new),
    ASCII_UPPER("ascii-upper", AsciiUpperTransform::new),
    ECHO("echo", EchoTransform::new);

    private final String flagValue;
    private final Supplier<StreamTransform> factory;

    TransformKind(String flagValue, Supplier<StreamTransform> factory) {
        this.flagValue = flagValue;
        this.factory = factory;
    }

    /** A new transform for one connection. */
    public StreamTransform newTransform() {
        return factory.get();
    }

    public String flagValue() {
        return flagValue;
    }

    public static TransformKind fromFlag(String value) {
        return Arrays.stream(values())
                .filter(kind -> kind.flagValue.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "--transform: " + value + " (expected: upper, ascii-upper or echo)"));
    }

    @Override
    public String toString() {
        return flagValue;
    }
}
