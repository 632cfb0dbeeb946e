package dev.shout.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a leaked buffer: one whose last reference was dropped
 * without {@code release()}.
 *
 * <p>Netty finds a leak only when the garbage collector has collected the buffer, and reports
 * it only when a later buffer is allocated; it then merely logs it. So this extension, which
 * JUnit loads for every test class (META-INF/services, with extension autodetection switched
 * on in junit-platform.properties):
 * <ul>
 * <li>installs, before any Netty buffer class initialises, a {@link ResourceLeakDetectorFactory}
 *     whose detectors record each leak they report;</li>
 * <li>after each test class, collects garbage, allocates, and fails the class with the leaks
 *     recorded since the last class, their access records included.</li>
 * </ul>
 * The surefire configuration sets the detector's level to paranoid, so that every buffer is
 * tracked, not one in 128; the check fails if it is not, rather than pass having seen little.
 */
public final class NettyLeakCheck implements AfterAllCallback {

    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
    /** Resource types the installed factory made detectors for: proves it came first. */
    private static final Set<String> DETECTORS = new CopyOnWriteArraySet<>();
    private static final long REFERENCE_PROCESSING_SECONDS = 10;

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new AssertionError("Netty's leak detection level is " + ResourceLeakDetector.getLevel()
                    + ", not PARANOID: run the tests with -Dio.netty.leakDetection.level=paranoid (server/pom.xml)");
        }
        collectGarbageAndAllocate();
        if (!DETECTORS.contains(ByteBuf.class.getSimpleName())) {
            throw new AssertionError("the leak-recording detector factory was installed after Netty's buffer"
                    + " classes initialised, so buffer leaks would go unseen; detectors made by it: " + DETECTORS);
        }
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) by the end of "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }

    /**
     * Two full collections, each followed by the reference handler's work on what it found, so
     * that every buffer unreachable now is queued as leaked; then allocations, on which Netty
     * reports what is queued.
     */
    private static void collectGarbageAndAllocate() throws InterruptedException {
        for (int round = 0; round < 2; round++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
            System.gc();
            if (queue.remove(TimeUnit.SECONDS.toMillis(REFERENCE_PROCESSING_SECONDS)) != sentinel) {
                throw new AssertionError("the garbage collector did not collect within "
                        + REFERENCE_PROCESSING_SECONDS + " s: cannot check for leaks");
            }
        }
        ByteBufAllocator.DEFAULT.buffer(1).release();
        ByteBufAllocator.DEFAULT.directBuffer(1).release();
        Unpooled.buffer(1).release();
    }

    /** Makes Netty's detectors, each reporting its leaks to {@link #LEAKS} as well as to the log. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval) {
                @Override
                protected boolean needReport() {
                    return true; // even when the logger would drop the error
                }
            };
            detector.setLeakListener((resourceType, records) ->
                    LEAKS.add("LEAK: " + resourceType + ".release() was not called" + records));
            DETECTORS.add(resource.getSimpleName());
            return detector;
        }

        @Override
        @Deprecated
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return newResourceLeakDetector(resource, samplingInterval);
        }
    }
}
