package dev.shout.server.process.link;

import io.netty.handler.codec.DecoderException;

/**
 * A frame on a link that is not a message of the protocol: the link it came from is closed,
 * since nothing after it can be trusted to be read as what it was meant to be.
 */
public final class LinkProtocolException extends DecoderException {

    private static final long serialVersionUID = 1L;

    public LinkProtocolException(String message) {
        super(message);
    }

    /** No stack trace: the message says all, and a peer sending garbage must not cost one each time. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
