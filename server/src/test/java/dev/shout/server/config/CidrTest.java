package dev.shout.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.0.0.0/8",
            "192.0.2.1, 192.0.2.1/32",
            "' 192.0.2.0/24 ', 192.0.2.0/24",
            "0.0.0.0/0, 0.0.0.0/0",
            "fd00::/8, fd00::/8",
            "::1, ::1/128",
            "2001:DB8:0:0::/32, 2001:db8::/32",
            "::/0, ::/0"})
    void readsIpv4AndIpv6BlocksAndBareAddresses(String text, String read) {
        assertEquals(read, Cidr.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0/8",
            "localhost", "", "10.0.0.0/ 8", "300.0.0.0/8", "fd00::/0x8"})
    void rejectsWhatIsNotACidrNamingTheFlag(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertEquals("--proxy-trusted: " + text + " (expected: a CIDR like 10.0.0.0/8 or fd00::/8)", e.getMessage());
    }

    @Test
    void rejectsBitsSetPastThePrefixSayingWhichBlockWasMeant() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.1.2.3/8"));
        assertEquals("--proxy-trusted: 10.1.2.3/8 (expected: no bits set past the prefix, like 10.0.0.0/8)",
                e.getMessage());
    }

    @Test
    void containsTheAddressesOfItsBlockOnly() {
        Cidr block = Cidr.parse("192.0.2.128/25");
        assertTrue(block.contains(address("192.0.2.128")));
        assertTrue(block.contains(address("192.0.2.255")));
        assertFalse(block.contains(address("192.0.2.127")));
        assertFalse(block.contains(address("192.0.3.128")));
    }

    @Test
    void containsIpv6AddressesByPrefixEvenWithinAByte() {
        Cidr block = Cidr.parse("2001:db8:8000::/33");
        assertTrue(block.contains(address("2001:db8:8000::1")));
        assertTrue(block.contains(address("2001:db8:ffff:ffff::")));
        assertFalse(block.contains(address("2001:db8:7fff::1")));
    }

    @Test
    void aBareAddressContainsItselfAlone() {
        Cidr one = Cidr.parse("127.0.0.1");
        assertTrue(one.contains(address("127.0.0.1")));
        assertFalse(one.contains(address("127.0.0.2")));
    }

    @Test
    void neverContainsAnAddressOfTheOtherFamily() {
        assertFalse(Cidr.parse("0.0.0.0/0").contains(address("::1")));
        assertFalse(Cidr.parse("::/0").contains(address("127.0.0.1")));
    }

    @Test
    void anEmptyPrefixContainsTheWholeFamily() {
        assertTrue(Cidr.parse("0.0.0.0/0").contains(address("203.0.113.7")));
        assertTrue(Cidr.parse("::/0").contains(address("2001:db8::7")));
    }

    private static InetAddress address(String literal) {
        return NetUtil.createInetAddressFromIpAddressString(literal);
    }
}
