package dev.shout.server.process.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link LeaseCache}: leases kept per address, reused most recent first, given back once unused for a period. */
class LeaseCacheTest {

    private static final InetAddress A = address("127.0.0.2");
    private static final InetAddress B = address("127.0.0.3");

    private final LeaseCache cache = new LeaseCache();

    @Test
    void aLeaseIsReusedOnlyForItsOwnAddress() {
        cache.keep(A, 1);
        assertEquals(OptionalLong.empty(), cache.reuse(B));
        assertEquals(OptionalLong.of(1), cache.reuse(A));
        assertEquals(OptionalLong.empty(), cache.reuse(A));
    }

    @Test
    void theMostRecentlyKeptIsReusedFirst() {
        cache.keep(A, 1);
        cache.keep(A, 2);
        assertEquals(OptionalLong.of(2), cache.reuse(A));
    }

    @Test
    void aLeaseGoesBackOnlyOnceAWholePeriodPassedUnused() {
        cache.keep(A, 1);
        assertEquals(List.of(), cache.takeStale(), "kept during this period");
        cache.keep(B, 2);
        assertEquals(List.of(1L), cache.takeStale());
        assertEquals(List.of(2L), cache.takeStale());
        assertEquals(List.of(), cache.takeAll());
    }

    @Test
    void aLeaseReusedAndKeptAgainStartsAfresh() {
        cache.keep(A, 1);
        cache.takeStale();
        cache.reuse(A);
        cache.keep(A, 1);
        assertEquals(List.of(), cache.takeStale());
        assertEquals(List.of(1L), cache.takeStale());
    }

    @Test
    void takeAllEmptiesIt() {
        cache.keep(A, 1);
        cache.keep(A, 2);
        cache.keep(B, 3);
        assertEquals(List.of(1L, 2L, 3L), cache.takeAll().stream().sorted().toList());
        assertEquals(OptionalLong.empty(), cache.reuse(A));
        assertEquals(List.of(), cache.takeAll());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
