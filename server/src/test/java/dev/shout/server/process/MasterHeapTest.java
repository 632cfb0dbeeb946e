package dev.shout.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import com.sun.management.VMOption.Origin;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** Which heap flags the master sets on itself: those at their defaults, in an order the JVM accepts. */
class MasterHeapTest {

    @Test
    void flagsAtTheirDefaultsAreSetMinimumRatioFirst() {
        FakeVm vm = new FakeVm();
        assertEquals(List.of("MinHeapFreeRatio=10", "MaxHeapFreeRatio=30", "G1PeriodicGCInterval=5000"),
                MasterHeap.giveBackAfterBursts(vm));
        assertEquals("30", vm.values.get("MaxHeapFreeRatio"));
    }

    @Test
    void aFlagTheOperatorGaveIsLeftAsItIs() {
        FakeVm vm = new FakeVm();
        vm.given("G1PeriodicGCInterval", "0");
        assertEquals(List.of("MinHeapFreeRatio=10", "MaxHeapFreeRatio=30"), MasterHeap.giveBackAfterBursts(vm));
        assertEquals("0", vm.values.get("G1PeriodicGCInterval"));
    }

    @Test
    void aRatioTheOperatorsOwnExcludeIsNotSet() {
        FakeVm vm = new FakeVm();
        vm.given("MinHeapFreeRatio", "50");
        assertEquals(List.of("G1PeriodicGCInterval=5000"), MasterHeap.giveBackAfterBursts(vm));
        assertEquals("70", vm.values.get("MaxHeapFreeRatio"));
    }

    @Test
    void theRealJvmTakesTheFlagsInThatOrder() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        // Checks only that each is manageable and the values fit together: this JVM's own flags stay as they are.
        for (String flag : MasterHeap.GIVE_BACK.keySet()) {
            assertEquals(true, vm.getVMOption(flag).isWriteable(), flag);
        }
    }

    /** The JVM's defaults for the three flags; it refuses a maximum ratio below the minimum, as HotSpot does. */
    private static final class FakeVm implements HotSpotDiagnosticMXBean {
        private final Map<String, String> values = new HashMap<>(
                Map.of("MinHeapFreeRatio", "40", "MaxHeapFreeRatio", "70", "G1PeriodicGCInterval", "0"));
        private final Map<String, Origin> origins = new HashMap<>();

        void given(String flag, String value) {
            values.put(flag, value);
            origins.put(flag, Origin.VM_CREATION);
        }

        @Override
        public VMOption getVMOption(String name) {
            return new VMOption(name, values.get(name), true, origins.getOrDefault(name, Origin.DEFAULT));
        }

        @Override
        public void setVMOption(String name, String value) {
            int min = Integer.parseInt(name.equals("MinHeapFreeRatio") ? value : values.get("MinHeapFreeRatio"));
            int max = Integer.parseInt(name.equals("MaxHeapFreeRatio") ? value : values.get("MaxHeapFreeRatio"));
            if (min > max) {
                throw new IllegalArgumentException("MinHeapFreeRatio (" + min + ") must be <= MaxHeapFreeRatio (" + max + ")");
            }
            values.put(name, value);
            origins.put(name, Origin.MANAGEMENT);
        }

        @Override
        public void dumpHeap(String outputFile, boolean live) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<VMOption> getDiagnosticOptions() {
            return List.of();
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }
}
