package dev.shout.client.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the one flat JSON object the bench prints, strictly enough that a malformed report fails
 * the test: strings, numbers, booleans and null as values, nothing nested.
 */
final class FlatJson {

    private final String text;
    private int at;

    private FlatJson(String text) {
        this.text = text;
    }

    /** Keys in order; numbers as {@link Double}, the rest as {@link String}, {@link Boolean} or null. */
    static Map<String, Object> parse(String text) {
        return new FlatJson(text.strip()).object();
    }

    private Map<String, Object> object() {
        Map<String, Object> fields = new LinkedHashMap<>();
        expect('{');
        while (fields.isEmpty() || peek() == ',') {
            if (!fields.isEmpty()) {
                expect(',');
            }
            String key = string();
            expect(':');
            if (fields.put(key, value()) != null) {
                throw new IllegalArgumentException("duplicate key " + key);
            }
        }
        expect('}');
        if (at != text.length()) {
            throw new IllegalArgumentException("text after the object at " + at);
        }
        return fields;
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        for (String literal : new String[] {"true", "false", "null"}) {
            if (text.startsWith(literal, at)) {
                at += literal.length();
                return literal.equals("null") ? null : Boolean.valueOf(literal);
            }
        }
        int start = at;
        while (at < text.length() && "+-.eE0123456789".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        return Double.valueOf(text.substring(start, at));
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        for (char c = text.charAt(at++); c != '"'; c = text.charAt(at++)) {
            if (c == '\\') {
                char escaped = text.charAt(at++);
                value.append(escaped == 'u' ? (char) Integer.parseInt(text.substring(at, at += 4), 16) : escaped);
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    private char peek() {
        return text.charAt(at);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected " + c + " at " + at + " in " + text);
        }
        at++;
    }
}
