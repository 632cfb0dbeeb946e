package dev.shout.client.bench;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ITypeConverter;

/**
 * The client's own reference for what each server transform does to the bench's payload. The
 * payload is printable ASCII only, for which the answer is simple enough to write down here
 * rather than borrow from the server: checking the server against its own code would prove
 * nothing.
 */
enum ReplyTransform {
    /** Unicode uppercasing, which for ASCII is a–z to A–Z and never changes a length. */
    UPPER(true),
    /** Python's {@code bytes.upper()}: a–z to A–Z, every other byte kept. */
    ASCII_UPPER(true),
    /** Every byte back as it was sent. */
    ECHO(false);

    private final boolean uppercases;

    ReplyTransform(boolean uppercases) {
        this.uppercases = uppercases;
    }

    /** The byte the server sends back for one byte of ASCII. */
    byte reply(byte sent) {
        return uppercases && sent >= 'a' && sent <= 'z' ? (byte) (sent - ('a' - 'A')) : sent;
    }

    @Override
    public String toString() {
        return FlagNames.of(this);
    }

    /** Reads {@code --transform}. */
    static final class Converter implements ITypeConverter<ReplyTransform> {

        private static final List<ReplyTransform> ALL = Arrays.asList(values());

        @Override
        public ReplyTransform convert(String text) {
            return FlagNames.parse(text, ALL);
        }
    }
}
