package dev.shout.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class AddressesTest {

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
            "0.0.0.0, 0.0.0.0:8080",
            "127.0.0.1, 127.0.0.1:8080",
            "::, [::]:8080",
            "::1, [::1]:8080",
            "fe80:0:0:0:0:0:0:1, [fe80::1]:8080",
            "2001:DB8:0:0:0:0:0:1, [2001:db8::1]:8080",
            // RFC 5952: the longest run of zeros is the one shortened, the first of equal runs...
            "2001:db8:0:0:1:0:0:0, [2001:db8:0:0:1::]:8080",
            "2001:db8:0:0:1:0:0:1, [2001:db8::1:0:0:1]:8080",
            // ...and a lone zero field is left as it is.
            "2001:db8:0:1:1:1:1:1, [2001:db8:0:1:1:1:1:1]:8080"})
    void writesAnAddressInItsShortForm(String literal, String expected) throws UnknownHostException {
        assertEquals(expected, Addresses.format(new InetSocketAddress(InetAddress.getByName(literal), 8080)));
    }

    @Test
    void writesAHostThatDidNotResolveAsItWasGiven() {
        assertEquals("no.such.host:8080", Addresses.format(InetSocketAddress.createUnresolved("no.such.host", 8080)));
    }
}
