package dev.shout.server.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TransformKindTest {

    @Test
    void readsTheCommandLineNames() {
        assertEquals(TransformKind.ASCII_UPPER, TransformKind.fromFlag("ascii-upper"));
        assertEquals("upper", TransformKind.UPPER.toString());
    }

    @Test
    void rejectsUnknownNamesWithTheExpectedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransformKind.fromFlag("lower"));
        assertEquals("--transform: lower (expected: upper, ascii-upper or echo)", e.getMessage());
    }

    @Test
    void everyConnectionGetsItsOwnTransform() {
        assertNotSame(TransformKind.UPPER.newTransform(), TransformKind.UPPER.newTransform());
    }
}
