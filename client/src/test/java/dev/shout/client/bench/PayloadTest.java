package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PayloadTest {

    private final Payload payload = new Payload(1000);

    @Test
    void everyByteIsPrintableAscii() {
        for (int position = 0; position < Payload.CYCLE; position++) {
            byte b = Payload.byteAt(position);
            assertTrue(b >= ' ' && b <= '~', "byte " + b + " at " + position);
        }
    }

    @Test
    void theCycleHoldsEveryPrintableCharacterSoTransformsShow() {
        Set<Byte> seen = new HashSet<>();
        for (int position = 0; position < Payload.CYCLE; position++) {
            seen.add(Payload.byteAt(position));
        }
        assertEquals('~' - ' ' + 1, seen.size());
    }

    @Test
    void consecutiveSlicesContinueTheSameStream() {
        String whole = text(payload.slice(3, 0, 700));
        String pieces = text(payload.slice(3, 0, 300)) + text(payload.slice(3, 300, 400));
        assertEquals(whole, pieces);
    }

    @Test
    void streamsRepeatAfterOneCycle() {
        assertEquals(text(payload.slice(5, 0, 64)), text(payload.slice(5, Payload.CYCLE, 64)));
    }

    @Test
    void consecutiveMessagesDiffer() {
        assertNotEquals(text(payload.slice(0, 0, 64)), text(payload.slice(0, 64, 64)));
    }

    @Test
    void neighbouringConnectionsSendDifferentBytes() {
        assertNotEquals(text(payload.slice(0, 0, 64)), text(payload.slice(1, 0, 64)));
    }

    @Test
    void positionsStayInTheCycleForHugeConnectionNumbersAndOffsets() {
        int position = Payload.position(Integer.MAX_VALUE, Long.MAX_VALUE / 2);
        assertTrue(position >= 0 && position < Payload.CYCLE, "position " + position);
    }

    private static String text(ByteBuf slice) {
        return new String(ByteBufUtil.getBytes(slice), StandardCharsets.US_ASCII);
    }
}
