package dev.shout.server.process.link;

import static dev.shout.server.process.link.LinkSamples.EVERY_MESSAGE;
import static dev.shout.server.process.link.LinkSamples.frame;
import static dev.shout.server.process.link.LinkSamples.lengthField;
import static dev.shout.server.process.link.LinkSamples.other;
import static dev.shout.server.process.link.LinkSamples.readFrame;
import static dev.shout.server.process.link.LinkSamples.sentBy;
import static dev.shout.server.process.link.LinkSamples.withLength;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import dev.shout.server.process.link.LinkMessage.Draining;
import dev.shout.server.process.link.LinkMessage.Hello;
import dev.shout.server.process.link.LinkMessage.Released;
import dev.shout.server.process.link.LinkMessage.Sender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How strictly the link is read: whole frames only, nothing buffered beyond one frame, and every
 * byte that is not a message of the peer a {@link LinkProtocolException} after which the rest of
 * the stream is dropped. Round trips of each message are {@link LinkMessageTest}'s.
 */
@Timeout(30)
class LinkCodecTest {

    /**
     * Each fuzz test makes 10,000 channels under paranoid leak detection: about 3 s here, but
     * past 30 s at a load average of 18. The bound is there to catch a hang, not to time it.
     */
    private static final int FUZZ_TIMEOUT_SECONDS = 180;

    /** A type byte no message has. */
    private static final int UNKNOWN_TYPE = 0x7f;
    /**
     * Pieces a fuzzed input is fed in: enough to cut frames anywhere, few enough that 20,000
     * inputs, each buffer tracked by paranoid leak detection, take seconds, not tens of them.
     */
    private static final int FUZZ_PIECES = 3;

    @ParameterizedTest(name = "{0}")
    @FieldSource("dev.shout.server.process.link.LinkSamples#EVERY_MESSAGE")
    void aPartialFrameReadsAsNothingAndConsumesNothing(LinkMessage message) {
        byte[] frame = frame(message);
        for (int length = 0; length < frame.length; length++) {
            ByteBuf prefix = Unpooled.wrappedBuffer(frame, 0, length);
            try {
                assertNull(LinkCodec.readFrame(prefix, message.sender()), length + " bytes of " + frame.length);
                assertEquals(0, prefix.readerIndex(), "read from a partial frame of " + length + " bytes");
            } finally {
                prefix.release();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("dev.shout.server.process.link.LinkSamples#EVERY_MESSAGE")
    void aMessageFromTheWrongSideIsAProtocolError(LinkMessage message) {
        assertProtocolError(frame(message), other(message.sender()));
    }

    @Test
    void everyTypeByteNoMessageHasIsAProtocolError() {
        Set<Byte> known = EVERY_MESSAGE.stream().map(LinkMessage::type).collect(Collectors.toSet());
        for (int type = 0; type < 256; type++) {
            if (!known.contains((byte) type)) {
                for (Sender peer : Sender.values()) {
                    assertProtocolError(frame(type, fields -> fields.writeLong(1)), peer);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("dev.shout.server.process.link.LinkSamples#EVERY_MESSAGE")
    void aByteTooManyInAFrameIsAProtocolError(LinkMessage message) {
        byte[] frame = frame(message);
        byte[] body = Arrays.copyOfRange(frame, 2, frame.length + 1);
        assertProtocolError(withLength(body), message.sender());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("dev.shout.server.process.link.LinkSamples#EVERY_MESSAGE")
    void aFrameCutShortAnywhereInItsFieldsIsAProtocolError(LinkMessage message) {
        byte[] frame = frame(message);
        for (int end = 3; end < frame.length; end++) {
            assertProtocolError(withLength(Arrays.copyOfRange(frame, 2, end)), message.sender());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 0x80, 0xff})
    void aBooleanOtherThanZeroOrOneIsAProtocolError(int value) {
        assertProtocolError(frame(AdmissionAnswer.TYPE, fields -> fields.writeLong(1).writeByte(value)), Sender.MASTER);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 6, 15, 17, 255})
    void anAddressNeitherFourNorSixteenBytesLongIsAProtocolError(int length) {
        assertProtocolError(frame(AdmissionRequest.TYPE, fields -> fields.writeLong(1).writeByte(length)
                .writeZero(length)), Sender.WORKER);
    }

    @Test
    void aBuildVersionLongerThanTheLimitIsAProtocolError() {
        int length = Hello.MAX_VERSION_BYTES + 1;
        assertProtocolError(frame(Hello.TYPE, fields -> fields.writeInt(1).writeByte(length)
                .writeBytes("v".repeat(length).getBytes())), Sender.WORKER);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, LinkCodec.MAX_WORKER_FRAME_LENGTH + 1, 0xffff})
    void aLengthOutOfBoundsIsAProtocolErrorAssoonAsItIsRead(int length) {
        assertProtocolError(lengthField(length), Sender.WORKER);
    }

    @Test
    void theMastersFramesMayBeLongerThanAWorkersButNotPastTheirOwnLimit() {
        assertNull(readFrame(lengthField(LinkCodec.MAX_WORKER_FRAME_LENGTH + 1), Sender.MASTER));
        assertNull(readFrame(lengthField(LinkCodec.MAX_MASTER_FRAME_LENGTH), Sender.MASTER));
        assertProtocolError(lengthField(LinkCodec.MAX_MASTER_FRAME_LENGTH + 1), Sender.MASTER);
    }

    @Test
    void aFrameOfTheLongestLengthIsWaitedFor() {
        byte[] longest = new byte[2 + LinkCodec.MAX_WORKER_FRAME_LENGTH];
        System.arraycopy(lengthField(LinkCodec.MAX_WORKER_FRAME_LENGTH), 0, longest, 0, 2);
        longest[2] = UNKNOWN_TYPE;
        assertNull(readFrame(Arrays.copyOf(longest, longest.length - 1), Sender.WORKER));
        assertProtocolError(longest, Sender.WORKER);
    }

    @ParameterizedTest
    @EnumSource(Sender.class)
    void theCodecReadsEveryMessageOfItsPeerHoweverTheBytesAreSplit(Sender peer) {
        List<LinkMessage> sent = sentBy(peer);
        byte[] stream = concatenatedFrames(sent);
        for (int seed = 0; seed < 20; seed++) {
            List<byte[]> pieces = split(stream, new Random(seed), stream.length);
            withCodec(peer, channel -> {
                pieces.forEach(piece -> channel.writeInbound(Unpooled.wrappedBuffer(piece)));
                assertEquals(sent, readAll(channel), "split in " + pieces.size() + " pieces");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("dev.shout.server.process.link.LinkSamples#EVERY_MESSAGE")
    void theCodecWritesWhatWriteFrameWrites(LinkMessage message) {
        withCodec(other(message.sender()), channel -> {
            assertTrue(channel.writeOutbound(message));
            ByteBuf written = channel.readOutbound();
            try {
                assertArrayEquals(frame(message), ByteBufUtil.getBytes(written));
            } finally {
                written.release();
            }
        });
    }

    @Test
    void theFramesBeforeAProtocolErrorAreReadAndEverythingAfterItIsDropped() {
        withCodec(Sender.WORKER, channel -> {
            byte[] good = frame(new Released(1));
            byte[] bad = frame(UNKNOWN_TYPE, fields -> { });
            ByteBuf stream = Unpooled.wrappedBuffer(good, bad, frame(new Released(2)));
            assertThrows(LinkProtocolException.class, () -> channel.writeInbound(stream));
            assertEquals(0, stream.refCnt(), "the codec kept the rest of the stream");
            assertEquals(List.of(new Released(1)), readAll(channel));

            channel.writeInbound(Unpooled.wrappedBuffer(frame(new Draining())));
            channel.writeInbound(Unpooled.wrappedBuffer(bad));
            assertEquals(List.of(), readAll(channel), "read on after a protocol error");
        });
    }

    /**
     * A length field past the limit fails the link as soon as its two bytes arrive, rather than
     * holding what follows: a peer cannot make the codec buffer more than one frame.
     */
    @Test
    void theCodecNeverWaitsForMoreThanTheLongestFrame() {
        withCodec(Sender.WORKER, channel -> {
            ByteBuf header = Unpooled.wrappedBuffer(lengthField(0xffff));
            assertThrows(LinkProtocolException.class, () -> channel.writeInbound(header));
            assertEquals(0, header.refCnt(), "the codec holds the header of a frame it refused");
        });
    }

    /**
     * Random bytes and damaged frames, fed in random pieces: the codec reads exactly what
     * {@link LinkCodec#readFrame} reads from the whole, fails with nothing but one
     * {@link LinkProtocolException}, and reads nothing after it.
     */
    @Test
    @Timeout(FUZZ_TIMEOUT_SECONDS)
    void randomBytesAreReadLikeTheWholeOrFailWithOneProtocolError() {
        Random random = new Random(20261201);
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[random.nextInt(random.nextBoolean() ? 16 : 2 * LinkCodec.MAX_WORKER_FRAME_LENGTH)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length >= 2) {
                // A plausible length and a known type, so that fields get read too.
                System.arraycopy(lengthField(1 + random.nextInt(bytes.length - 1)), 0, bytes, 0, 2);
                if (bytes.length > 2) {
                    bytes[2] = EVERY_MESSAGE.get(random.nextInt(EVERY_MESSAGE.size())).type();
                }
            }
            assertReadLikeTheWhole(bytes, Sender.values()[random.nextInt(2)], random);
        }
    }

    @Test
    @Timeout(FUZZ_TIMEOUT_SECONDS)
    void damagedFramesAreReadLikeTheWholeOrFailWithOneProtocolError() {
        Random random = new Random(832129);
        for (Sender peer : Sender.values()) {
            byte[] stream = concatenatedFrames(sentBy(peer));
            for (int i = 0; i < 5_000; i++) {
                assertReadLikeTheWhole(damaged(stream, random), peer, random);
            }
        }
    }

    private static void assertProtocolError(byte[] bytes, Sender peer) {
        assertThrows(LinkProtocolException.class, () -> readFrame(bytes, peer), () -> HexFormat.of().formatHex(bytes));
    }

    private static void assertReadLikeTheWhole(byte[] bytes, Sender peer, Random random) {
        List<LinkMessage> expected = new ArrayList<>();
        boolean expectError = readWhole(bytes, peer, expected);
        withCodec(peer, channel -> {
            boolean failed = false;
            List<LinkMessage> read = new ArrayList<>();
            for (byte[] piece : split(bytes, random, FUZZ_PIECES)) {
                try {
                    channel.writeInbound(Unpooled.wrappedBuffer(piece));
                } catch (LinkProtocolException e) {
                    if (failed) {
                        fail("a second protocol error, after the first: " + HexFormat.of().formatHex(bytes));
                    }
                    failed = true;
                } catch (RuntimeException e) {
                    throw new AssertionError("not a protocol error, on " + HexFormat.of().formatHex(bytes), e);
                }
                read.addAll(readAll(channel));
            }
            assertEquals(expected, read, () -> HexFormat.of().formatHex(bytes));
            assertEquals(expectError, failed, () -> HexFormat.of().formatHex(bytes));
        });
    }

    /** What {@link LinkCodec#readFrame} reads from all of {@code bytes} at once; true if it ends on an error. */
    private static boolean readWhole(byte[] bytes, Sender peer, List<LinkMessage> read) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            for (LinkMessage message; (message = LinkCodec.readFrame(in, peer)) != null; ) {
                read.add(message);
            }
            assertTrue(in.readableBytes() < 2 + LinkCodec.maxFrameLength(peer), "waits for more than one frame");
            return false;
        } catch (LinkProtocolException e) {
            return true;
        } finally {
            in.release();
        }
    }

    /** {@code stream} with one byte changed, inserted or removed, or its end cut off. */
    private static byte[] damaged(byte[] stream, Random random) {
        byte[] bytes = stream.clone();
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(4)) {
            case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> bytes[at] = (byte) random.nextInt(256);
            case 2 -> {
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                bytes = longer;
            }
            default -> bytes = Arrays.copyOf(bytes, at);
        }
        return bytes;
    }

    private static byte[] concatenatedFrames(List<LinkMessage> messages) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        messages.forEach(message -> stream.writeBytes(frame(message)));
        return stream.toByteArray();
    }

    /** {@code bytes} in at most {@code most} pieces of random lengths, as reads from a socket might give them. */
    private static List<byte[]> split(byte[] bytes, Random random, int most) {
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < bytes.length; ) {
            int to = pieces.size() == most - 1 ? bytes.length
                    : Math.min(bytes.length, from + 1 + random.nextInt(random.nextBoolean() ? 4 : 200));
            pieces.add(Arrays.copyOfRange(bytes, from, to));
            from = to;
        }
        return pieces;
    }

    /** Runs {@code test} on a channel with a codec reading {@code peer}, then closes it, releasing what it holds. */
    private static void withCodec(Sender peer, Consumer<EmbeddedChannel> test) {
        EmbeddedChannel channel = new EmbeddedChannel(new LinkCodec(peer));
        try {
            test.accept(channel);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static List<LinkMessage> readAll(EmbeddedChannel channel) {
        List<LinkMessage> read = new ArrayList<>();
        for (LinkMessage message; (message = channel.readInbound()) != null; ) {
            read.add(message);
        }
        return read;
    }
}
