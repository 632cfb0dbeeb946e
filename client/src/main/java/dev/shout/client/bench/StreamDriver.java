package dev.shout.client.bench;

/**
 * Writes for as long as the connection is writable and resumes when it is again, so that what is
 * queued stays within Netty's write buffer water marks however slowly the server reads. Replies
 * are read all the while; writing first and reading after would deadlock once the socket buffers
 * fill.
 */
final class StreamDriver extends ConnectionDriver {

    /** Writes of about this many bytes keep the per-write overhead small next to the data. */
    private static final int PREFERRED_WRITE = 16 * 1024;

    private final int writeLength;

    StreamDriver(DriverContext context, int connection) {
        super(context, connection);
        this.writeLength = writeLength(context.size());
    }

    /** The length of each write: whole messages, about {@link #PREFERRED_WRITE} bytes in all. */
    static int writeLength(int size) {
        return size * Math.max(1, PREFERRED_WRITE / size);
    }

    @Override
    protected void begin() {
        writeWhileWritable();
    }

    @Override
    protected void writable() {
        writeWhileWritable();
    }

    @Override
    protected void replied(long now) {
        // Throughput is counted from the reply bytes; a stream has no round trips to time.
    }

    private void writeWhileWritable() {
        if (ending()) {
            return;
        }
        while (channel().isWritable()) {
            write(writeLength);
        }
        flush();
    }
}
