package dev.shout.server.process.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.process.link.LinkMessage.CarriesDescriptor;
import dev.shout.server.process.link.LinkMessage.ClientConnection;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Descriptors and the messages that say what they are, arriving in either order on their two
 * sockets. The descriptors are real (both ends of pipes), so that closing them is real too.
 */
@Timeout(10)
class DescriptorPairingTest {

    private final List<FileDescriptor> opened = new ArrayList<>();
    private final List<String> paired = new ArrayList<>();
    private final DescriptorPairing pairing = new DescriptorPairing(
            (message, descriptor) -> paired.add(message.sequence() + "=" + opened.indexOf(descriptor)));

    @BeforeAll
    static void loadNettyNativeCode() {
        Epoll.ensureAvailability();
    }

    @AfterEach
    void closeEveryDescriptor() throws IOException {
        for (FileDescriptor descriptor : opened) {
            descriptor.close();
        }
    }

    @Test
    void aMessageWaitsForItsDescriptor() throws IOException {
        pairing.message(connection(0));
        assertEquals(List.of(), paired);
        pairing.descriptor(descriptor());
        assertEquals(List.of("0=0"), paired);
    }

    @Test
    void aDescriptorWaitsForItsMessage() throws IOException {
        pairing.descriptor(descriptor());
        assertEquals(List.of(), paired);
        pairing.message(connection(0));
        assertEquals(List.of("0=0"), paired);
    }

    @Test
    void anyInterleavingPairsTheNthMessageWithTheNthDescriptor() throws IOException {
        int count = 40;
        List<String> inOrder = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inOrder.add(i + "=" + i);
        }
        descriptors(count);
        for (long seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            DescriptorPairing fresh = new DescriptorPairing(
                    (message, descriptor) -> paired.add(message.sequence() + "=" + opened.indexOf(descriptor)));
            paired.clear();
            for (int messages = 0, descriptors = 0; messages < count || descriptors < count; ) {
                if (descriptors == count || messages < count && random.nextBoolean()) {
                    fresh.message(connection(messages++));
                } else {
                    fresh.descriptor(opened.get(descriptors++));
                }
            }
            assertEquals(inOrder, paired, "interleaving of seed " + seed);
        }
    }

    @Test
    void aMessageOutOfSequenceIsAProtocolError() {
        assertThrows(LinkProtocolException.class, () -> pairing.message(connection(1)));
        pairing.message(connection(0));
        assertThrows(LinkProtocolException.class, () -> pairing.message(connection(0)), "a sequence number again");
    }

    @Test
    void moreDescriptorsWaitingThanTheLimitIsAProtocolError() throws IOException {
        descriptors(DescriptorPairing.MAX_UNPAIRED + 1);
        for (int i = 0; i < DescriptorPairing.MAX_UNPAIRED; i++) {
            pairing.descriptor(opened.get(i));
        }
        assertThrows(LinkProtocolException.class, () -> pairing.descriptor(opened.get(DescriptorPairing.MAX_UNPAIRED)));
    }

    @Test
    void moreMessagesWaitingThanTheLimitIsAProtocolError() {
        for (int i = 0; i < DescriptorPairing.MAX_UNPAIRED; i++) {
            pairing.message(connection(i));
        }
        assertThrows(LinkProtocolException.class, () -> pairing.message(connection(DescriptorPairing.MAX_UNPAIRED)));
    }

    @Test
    void closeClosesTheDescriptorsStillWaitingAndNoOthers() throws IOException {
        descriptors(3);
        opened.forEach(pairing::descriptor);
        pairing.message(connection(0));
        pairing.close();
        assertEquals(List.of(true, false, false), opened.stream().map(FileDescriptor::isOpen).toList(),
                "the paired descriptor is its receiver's to close; the others nobody's but the pairing's");
    }

    @Test
    void closeClosesTheDescriptorThatBrokeTheLimitToo() throws IOException {
        descriptors(DescriptorPairing.MAX_UNPAIRED + 1);
        assertThrows(LinkProtocolException.class, () -> opened.forEach(pairing::descriptor));
        pairing.close();
        assertTrue(opened.stream().noneMatch(FileDescriptor::isOpen));
    }

    private static CarriesDescriptor connection(long sequence) {
        return new ClientConnection(sequence, 100 + sequence);
    }

    private FileDescriptor descriptor() throws IOException {
        descriptors(1);
        return opened.get(opened.size() - 1);
    }

    /** Opens {@code count} more descriptors: ends of pipes, an end left over closed at once. */
    private void descriptors(int count) throws IOException {
        for (int made = 0; made < count; ) {
            for (FileDescriptor end : FileDescriptor.pipe()) {
                if (made++ < count) {
                    opened.add(end);
                } else {
                    end.close();
                }
            }
        }
    }
}
