package dev.shout.client.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.TypeConversionException;

/**
 * Spells enum constants the way the command line does ({@code IDLE_THEN_PING} is
 * {@code idle-then-ping}), so that help, parsing, error messages and reports agree without each
 * enum keeping its own table.
 */
final class FlagNames {

    private FlagNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant among {@code allowed} spelled {@code text}, or a message listing them all. */
    static <E extends Enum<E>> E parse(String text, List<E> allowed) {
        return allowed.stream()
                .filter(constant -> of(constant).equals(text))
                .findFirst()
                .orElseThrow(() -> new TypeConversionException(text + " (expected: " + listed(allowed) + ")"));
    }

    private static String listed(List<? extends Enum<?>> allowed) {
        List<String> names = allowed.stream().map(FlagNames::of).collect(Collectors.toList());
        String last = names.remove(names.size() - 1);
        return names.isEmpty() ? last : String.join(", ", names) + " or " + last;
    }
}
