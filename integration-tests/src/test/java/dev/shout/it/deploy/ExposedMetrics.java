package dev.shout.it.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The metrics the server exposes, by name, for files that name them (dashboards, alerts): the
 * ones the README lists under "## Metrics", in its table and its sample scrape, and the ones
 * being added that it does not list yet. This is the one list they are checked against.
 */
final class ExposedMetrics {

    private static final Pattern NAME = Pattern.compile("\\bshout_\\w+");
    private static final Pattern METRICS_SECTION = Pattern.compile("(?ms)^## Metrics$(.*?)(?=^## |\\z)");

    private ExposedMetrics() {
    }

    static Set<String> names() {
        Matcher section = METRICS_SECTION.matcher(Repository.read("README.md"));
        if (!section.find()) {
            throw new IllegalStateException("README.md has no '## Metrics' section");
        }
        return namedIn(section.group(1));
    }

    /** Every metric name in the text. */
    static Set<String> namedIn(String text) {
        return NAME.matcher(text).results().map(MatchResult::group).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The metric names in the text that the server does not expose. */
    static Set<String> unknownIn(String text) {
        Set<String> unknown = namedIn(text);
        unknown.removeAll(names());
        return unknown;
    }
}
