package dev.shout.server.transform;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Unicode uppercasing of a UTF-8 byte stream.
 *
 * <p>ASCII is uppercased in place without decoding. A multi-byte sequence is decoded,
 * mapped with the full case mapping and re-encoded; when a read ends inside a sequence, its
 * first bytes (at most three) are held until the rest arrives. Bytes that are not well-formed
 * UTF-8 (Unicode table 3-7: no overlongs, surrogates or code points above U+10FFFF) pass
 * through unchanged, so binary data survives; a broken sequence is passed on up to the byte
 * that breaks it, and that byte is then read afresh.
 */
final class Utf8UpperTransform implements StreamTransform {

    /** The bytes of the sequence being decoded; the lead byte first. */
    private final byte[] held = new byte[4];
    private int heldCount;
    /** Continuation bytes the current sequence still needs; 0 between sequences. */
    private int missing;
    private int codePoint;
    /** The range the next continuation byte must fall in (narrower after some lead bytes). */
    private int nextMin;
    private int nextMax;

    @Override
    public ByteBuf apply(ByteBuf in, ByteBufAllocator alloc) {
        int start = in.readerIndex();
        int firstNonAscii = missing == 0 ? AsciiBytes.upperInPlace(in, start, true) : start;
        if (firstNonAscii == in.writerIndex()) {
            return in;
        }
        try {
            // Multi-byte characters can change length when uppercased (ı → I, ΐ → Ϊ́).
            ByteBuf out = alloc.buffer(in.readableBytes() + in.readableBytes() / 2 + held.length);
            out.writeBytes(in, start, firstNonAscii - start);
            for (int i = firstNonAscii; i < in.writerIndex(); i++) {
                accept(in.getByte(i), out);
            }
            return out;
        } finally {
            in.release();
        }
    }

    @Override
    public ByteBuf finish(ByteBufAllocator alloc) {
        if (heldCount == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf out = alloc.buffer(heldCount);
        out.writeBytes(held, 0, heldCount);
        heldCount = 0;
        missing = 0;
        return out;
    }

    private void accept(byte b, ByteBuf out) {
        if (missing > 0) {
            int unsigned = b & 0xFF;
            if (unsigned >= nextMin && unsigned <= nextMax) {
                continueSequence(b, out);
                return;
            }
            out.writeBytes(held, 0, heldCount);
            heldCount = 0;
            missing = 0;
        }
        if (b >= 0) {
            out.writeByte(AsciiBytes.upper(b));
        } else if (!startSequence(b)) {
            out.writeByte(b);
        }
    }

    /** Starts a sequence at a lead byte; false when the byte cannot start one. */
    private boolean startSequence(byte lead) {
        int unsigned = lead & 0xFF;
        nextMin = 0x80;
        nextMax = 0xBF;
        if (unsigned >= 0xC2 && unsigned <= 0xDF) {
            missing = 1;
            codePoint = unsigned & 0x1F;
        } else if (unsigned >= 0xE0 && unsigned <= 0xEF) {
            missing = 2;
            codePoint = unsigned & 0x0F;
            if (unsigned == 0xE0) {
                nextMin = 0xA0; // overlong below U+0800
            } else if (unsigned == 0xED) {
                nextMax = 0x9F; // surrogates U+D800..U+DFFF
            }
        } else if (unsigned >= 0xF0 && unsigned <= 0xF4) {
            missing = 3;
            codePoint = unsigned & 0x07;
            if (unsigned == 0xF0) {
                nextMin = 0x90; // overlong below U+10000
            } else if (unsigned == 0xF4) {
                nextMax = 0x8F; // above U+10FFFF
            }
        } else {
            return false;
        }
        held[0] = lead;
        heldCount = 1;
        return true;
    }

    private void continueSequence(byte b, ByteBuf out) {
        held[heldCount++] = b;
        codePoint = (codePoint << 6) | (b & 0x3F);
        nextMin = 0x80;
        nextMax = 0xBF;
        if (--missing == 0) {
            writeUpper(out);
            heldCount = 0;
        }
    }

    private void writeUpper(ByteBuf out) {
        byte[] multiChar = UnicodeUpperCase.multiCharMapping(codePoint);
        if (multiChar != null) {
            out.writeBytes(multiChar);
            return;
        }
        int upper = UnicodeUpperCase.simpleMapping(codePoint);
        if (upper == codePoint) {
            out.writeBytes(held, 0, heldCount);
        } else {
            writeUtf8(upper, out);
        }
    }

    private static void writeUtf8(int cp, ByteBuf out) {
        if (cp < 0x80) {
            out.writeByte(cp);
        } else if (cp < 0x800) {
            out.writeByte(0xC0 | cp >> 6);
            out.writeByte(0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            out.writeByte(0xE0 | cp >> 12);
            out.writeByte(0x80 | cp >> 6 & 0x3F);
            out.writeByte(0x80 | cp & 0x3F);
        } else {
            out.writeByte(0xF0 | cp >> 18);
            out.writeByte(0x80 | cp >> 12 & 0x3F);
            out.writeByte(0x80 | cp >> 6 & 0x3F);
            out.writeByte(0x80 | cp & 0x3F);
        }
    }
}
