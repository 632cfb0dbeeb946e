package dev.shout.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(10)
class ProxyProtocolPolicyTest {

    private static final List<Cidr> BALANCERS = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    @ParameterizedTest
    @EnumSource(value = ProxyProtocol.class, names = "OFF", mode = EnumSource.Mode.EXCLUDE)
    void isOnlyOnWithTrustedBalancers(ProxyProtocol protocol) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProxyProtocolPolicy(protocol, List.of(), FIVE_SECONDS));
        assertEquals("--proxy-trusted: required with --proxy-protocol " + protocol, e.getMessage());
    }

    @Test
    void trustedBalancersWithoutTheProtocolAreAMistakeNotIgnored() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProxyProtocolPolicy(ProxyProtocol.OFF, BALANCERS, FIVE_SECONDS));
        assertEquals("--proxy-trusted: 10.0.0.0/8,fd00::/8 (expected: only with --proxy-protocol v1, v2 or any)",
                e.getMessage());
    }

    @Test
    void trustsAtMostTheLimitOfRanges() {
        List<Cidr> ranges = new ArrayList<>();
        for (int i = 0; i < ProxyProtocolPolicy.MAX_TRUSTED; i++) {
            ranges.add(Cidr.parse("10.0." + i / 256 + "." + i % 256 + "/32"));
        }
        assertEquals(ranges, new ProxyProtocolPolicy(ProxyProtocol.V1, ranges, FIVE_SECONDS).trusted());
        ranges.add(Cidr.parse("192.0.2.1/32"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProxyProtocolPolicy(ProxyProtocol.V1, ranges, FIVE_SECONDS));
        assertEquals("--proxy-trusted: 257 ranges (expected: at most 256)", e.getMessage());
    }

    @Test
    void theHeaderTimeoutIsPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProxyProtocolPolicy(ProxyProtocol.V2, BALANCERS, Duration.ZERO));
        assertEquals("--proxy-header-timeout: 0s (expected: > 0)", e.getMessage());
    }

    @Test
    void trustsOnlyPeersInItsBlocksAndOnlyWhenOn() {
        ProxyProtocolPolicy on = new ProxyProtocolPolicy(ProxyProtocol.ANY, BALANCERS, FIVE_SECONDS);
        assertTrue(on.trusts(NetUtil.createInetAddressFromIpAddressString("10.1.2.3")));
        assertTrue(on.trusts(NetUtil.createInetAddressFromIpAddressString("fd12::1")));
        assertFalse(on.trusts(NetUtil.createInetAddressFromIpAddressString("192.0.2.1")));
        ProxyProtocolPolicy off = new ProxyProtocolPolicy(ProxyProtocol.OFF, List.of(), FIVE_SECONDS);
        assertFalse(off.trusts(NetUtil.createInetAddressFromIpAddressString("10.1.2.3")));
    }

    @Test
    void keepsItsOwnCopyOfTheTrustedBlocks() {
        List<Cidr> given = new ArrayList<>(BALANCERS);
        ProxyProtocolPolicy policy = new ProxyProtocolPolicy(ProxyProtocol.V1, given, FIVE_SECONDS);
        given.clear();
        assertEquals(BALANCERS, policy.trusted());
    }

    @Test
    void eachSettingTakesItsVersionsOnly() {
        assertTrue(ProxyProtocol.V1.accepts(HAProxyProtocolVersion.V1));
        assertFalse(ProxyProtocol.V1.accepts(HAProxyProtocolVersion.V2));
        assertTrue(ProxyProtocol.V2.accepts(HAProxyProtocolVersion.V2));
        assertFalse(ProxyProtocol.V2.accepts(HAProxyProtocolVersion.V1));
        assertTrue(ProxyProtocol.ANY.accepts(HAProxyProtocolVersion.V1));
        assertTrue(ProxyProtocol.ANY.accepts(HAProxyProtocolVersion.V2));
        assertFalse(ProxyProtocol.OFF.accepts(HAProxyProtocolVersion.V1));
    }
}
