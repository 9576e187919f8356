package io.logalert.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The client's peak live heap during one measured run, above what was live before it.
 *
 * <p>Heap "used" in a generational collector mostly measures garbage not yet collected, so it tells nothing about
 * what a reader retains. This meter records the heap occupancy right <em>after</em> every garbage collection during
 * the run (from the collectors' notifications), plus one forced full collection at the end of the run while its
 * result is still referenced, and reports the largest of them minus the occupancy after a full collection before the
 * run. It over-states rather than under-states: garbage promoted to the old generation counts until an old
 * collection frees it.
 */
public final class HeapMeter implements AutoCloseable {

    private final AtomicLong peakAfterGc = new AtomicLong();
    private final NotificationListener listener;
    private long baseline;

    /** Starts listening to the collectors. */
    public HeapMeter() {
        listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                    (CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (isHeap(pool.getKey())) {
                    used += pool.getValue().getUsed();
                }
            }
            peakAfterGc.accumulateAndGet(used, Math::max);
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
    }

    /** Collects, takes the baseline, and starts a measurement. */
    public void begin() {
        baseline = liveAfterFullGc();
        peakAfterGc.set(0);
    }

    /**
     * Ends a measurement: call it while the run's result is still referenced.
     *
     * @return the peak live heap above the baseline, in bytes
     */
    public long end() {
        long atEnd = liveAfterFullGc();
        return Math.max(0, Math.max(atEnd, peakAfterGc.get()) - baseline);
    }

    private static long liveAfterFullGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static boolean isHeap(String pool) {
        for (var bean : ManagementFactory.getMemoryPoolMXBeans()) {
            if (bean.getName().equals(pool)) {
                return bean.getType() == java.lang.management.MemoryType.HEAP;
            }
        }
        return false;
    }

    @Override
    public void close() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException e) {
                // already gone
            }
        }
    }
}
