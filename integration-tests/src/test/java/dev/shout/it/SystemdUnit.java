package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file read as systemd reads it (systemd.syntax(7)): {@code [Section]} headers,
 * {@code Key=Value} lines, a value continued on the next line after a trailing backslash, lines
 * starting with {@code #} or {@code ;} ignored. A key may be given several times; its values are
 * kept in order.
 */
final class SystemdUnit {

    private final Path file;
    private final Map<String, List<String>> values;

    private SystemdUnit(Path file, Map<String, List<String>> values) {
        this.file = file;
        this.values = values;
    }

    static SystemdUnit read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        String section = null;
        StringBuilder continued = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || line.startsWith(";") || (line.isEmpty() && continued.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                continued.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            line = continued.append(line).toString();
            continued.setLength(0);
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
            } else if (section != null && line.indexOf('=') > 0) {
                String key = section + "." + line.substring(0, line.indexOf('=')).strip();
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(line.substring(line.indexOf('=') + 1).strip());
            } else {
                throw new AssertionError(file + ": not a section header or a setting: " + line);
            }
        }
        return new SystemdUnit(file, values);
    }

    /** Every value given to {@code key} of {@code section}, in order; none if it is not set. */
    List<String> values(String section, String key) {
        return values.getOrDefault(section + "." + key, List.of());
    }

    /** The value of a key set exactly once. */
    String value(String section, String key) {
        List<String> all = values(section, key);
        if (all.size() != 1) {
            throw new AssertionError(file + ": [" + section + "] " + key + "= set " + all.size() + " times: " + all);
        }
        return all.get(0);
    }

    /** The keys set in {@code section}. */
    List<String> keys(String section) {
        return values.keySet().stream().filter(key -> key.startsWith(section + "."))
                .map(key -> key.substring(section.length() + 1)).toList();
    }
}
