package dev.shout.server.process;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import com.sun.management.VMOption.Origin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * A JVM's flags as {@link HotSpotDiagnosticMXBean} shows them: those it was built with, at their
 * defaults until given or set. Like HotSpot, it refuses a flag it does not have and a maximum
 * heap free ratio below the minimum.
 */
final class FakeHotSpotVm implements HotSpotDiagnosticMXBean {

    final Map<String, String> values;
    private final Map<String, Origin> origins = new HashMap<>();

    FakeHotSpotVm(Map<String, String> defaults) {
        this.values = new HashMap<>(defaults);
    }

    /** As if on the JVM's command line. */
    void given(String flag, String value) {
        values.put(flag, value);
        origins.put(flag, Origin.VM_CREATION);
    }

    @Override
    public VMOption getVMOption(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("VM option \"" + name + "\" does not exist");
        }
        return new VMOption(name, values.get(name), true, origins.getOrDefault(name, Origin.DEFAULT));
    }

    @Override
    public void setVMOption(String name, String value) {
        getVMOption(name);
        int min = Integer.parseInt(name.equals("MinHeapFreeRatio") ? value : values.getOrDefault("MinHeapFreeRatio", "0"));
        int max = Integer.parseInt(name.equals("MaxHeapFreeRatio") ? value : values.getOrDefault("MaxHeapFreeRatio", "100"));
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
