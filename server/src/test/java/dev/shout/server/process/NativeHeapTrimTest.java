package dev.shout.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who trims glibc's arenas: workers by their flag, the operator's JVM by itself, neither where the operator chose. */
class NativeHeapTrimTest {

    private static final Map<String, String> TRIMS_WHEN_ASKED = Map.of("TrimNativeHeapInterval", "0");

    @Test
    void aWorkerGetsTheFlagUnlessItsOptionsSetIt() {
        FakeHotSpotVm vm = new FakeHotSpotVm(TRIMS_WHEN_ASKED);
        assertEquals(Optional.of("-XX:TrimNativeHeapInterval=5000"), NativeHeapTrim.workerOption(vm, List.of("-Xss512k")));
        assertEquals(Optional.empty(), NativeHeapTrim.workerOption(vm, List.of("-XX:TrimNativeHeapInterval=0")));
    }

    @Test
    void theOperatorsJvmTrimsItselfUnlessItsOwnOptionsSetTheFlag() {
        FakeHotSpotVm vm = new FakeHotSpotVm(TRIMS_WHEN_ASKED);
        assertTrue(NativeHeapTrim.trimsItself(vm));
        vm.given("TrimNativeHeapInterval", "0");
        assertFalse(NativeHeapTrim.trimsItself(vm));
    }

    @Test
    void aJvmWithoutTheFlagIsLeftAsItIs() {
        FakeHotSpotVm older = new FakeHotSpotVm(Map.of());
        assertEquals(Optional.empty(), NativeHeapTrim.workerOption(older, List.of()));
        assertFalse(NativeHeapTrim.trimsItself(older));
    }

    @Test
    void thisJvmHasTheFlagAndTrimsWhenAsked() throws Exception {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assertTrue(NativeHeapTrim.workerOption(vm, List.of()).isPresent(), "the JDK 17 the build runs on is 17.0.9 or later");
        String said = NativeHeapTrim.trim();
        assertTrue(said.contains("RSS"), said);
    }
}
