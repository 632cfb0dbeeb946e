package dev.shout.server.process.link;

import dev.shout.server.process.link.LinkMessage.CarriesDescriptor;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiConsumer;

/**
 * The worker's side of the two sockets: matches each descriptor read from the descriptor socket
 * with the message, read from the framed socket, that says what it is. Both arrive in the order
 * the master sent them, so the n-th descriptor is the message of sequence n; whichever comes
 * first waits for the other, at most {@link #MAX_UNPAIRED} of either. A message out of sequence,
 * or too many waiting, is a protocol error. Used on one thread, the link's.
 */
public final class DescriptorPairing {

    /** Bounds what waits for its other half; the master never has more than 64 in flight. */
    public static final int MAX_UNPAIRED = 256;

    private final BiConsumer<CarriesDescriptor, FileDescriptor> paired;
    private final Deque<CarriesDescriptor> messages = new ArrayDeque<>();
    private final Deque<FileDescriptor> descriptors = new ArrayDeque<>();
    private long nextSequence;

    /** @param paired given each message with its descriptor, which it then owns */
    public DescriptorPairing(BiConsumer<CarriesDescriptor, FileDescriptor> paired) {
        this.paired = paired;
    }

    public void message(CarriesDescriptor message) {
        if (message.sequence() != nextSequence) {
            throw new LinkProtocolException("descriptor message of sequence " + message.sequence()
                    + " (expected: " + nextSequence + ")");
        }
        nextSequence++;
        messages.add(message);
        pair();
    }

    public void descriptor(FileDescriptor descriptor) {
        descriptors.add(descriptor);
        pair();
    }

    /** Descriptors that arrived without their message, once the link is gone: closed here. */
    public void close() {
        for (FileDescriptor descriptor; (descriptor = descriptors.poll()) != null; ) {
            try {
                descriptor.close();
            } catch (IOException alreadyClosed) {
                // Nothing to free.
            }
        }
        messages.clear();
    }

    private void pair() {
        while (!messages.isEmpty() && !descriptors.isEmpty()) {
            paired.accept(messages.poll(), descriptors.poll());
        }
        if (messages.size() > MAX_UNPAIRED || descriptors.size() > MAX_UNPAIRED) {
            throw new LinkProtocolException(messages.size() + " messages and " + descriptors.size()
                    + " descriptors unpaired (expected: <= " + MAX_UNPAIRED + " of either)");
        }
    }
}
