package dev.shout.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which heap flags the master sets on itself: those at their defaults, in an order the JVM accepts. */
class MasterHeapTest {

    @Test
    void flagsAtTheirDefaultsAreSetMinimumRatioFirst() {
        FakeHotSpotVm vm = defaultVm();
        assertEquals(List.of("MinHeapFreeRatio=10", "MaxHeapFreeRatio=30", "G1PeriodicGCInterval=5000"),
                MasterHeap.giveBackAfterBursts(vm));
        assertEquals("30", vm.values.get("MaxHeapFreeRatio"));
    }

    @Test
    void aFlagTheOperatorGaveIsLeftAsItIs() {
        FakeHotSpotVm vm = defaultVm();
        vm.given("G1PeriodicGCInterval", "0");
        assertEquals(List.of("MinHeapFreeRatio=10", "MaxHeapFreeRatio=30"), MasterHeap.giveBackAfterBursts(vm));
        assertEquals("0", vm.values.get("G1PeriodicGCInterval"));
    }

    @Test
    void aRatioTheOperatorsOwnExcludeIsNotSet() {
        FakeHotSpotVm vm = defaultVm();
        vm.given("MinHeapFreeRatio", "50");
        assertEquals(List.of("G1PeriodicGCInterval=5000"), MasterHeap.giveBackAfterBursts(vm));
        assertEquals("70", vm.values.get("MaxHeapFreeRatio"));
    }

    @Test
    void theRealJvmLetsEachFlagBeSetWhileItRuns() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        // Checks only that each is manageable: this JVM's own flags stay as they are.
        for (String flag : MasterHeap.GIVE_BACK.keySet()) {
            assertTrue(vm.getVMOption(flag).isWriteable(), flag);
        }
    }

    /** A JVM with the three flags at their defaults. */
    private static FakeHotSpotVm defaultVm() {
        return new FakeHotSpotVm(Map.of("MinHeapFreeRatio", "40", "MaxHeapFreeRatio", "70", "G1PeriodicGCInterval", "0"));
    }
}
