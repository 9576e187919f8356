package io.logalert.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a run costs the Elasticsearch node: CPU time, peak heap, and the fielddata / global-ordinals memory and build
 * time it adds.
 *
 * <p>CPU comes from {@code /proc/<pid>/stat} of the node's own process (user + system time, 10 ms ticks): the same
 * counter {@code _nodes/stats} reports as {@code process.cpu.total_in_millis}, but uncached, whereas the node
 * refreshes its process statistics at most once a second ({@code monitor.process.refresh_interval}), too coarse for
 * sub-second runs. Where {@code /proc} cannot be read, {@code _nodes/stats} is used (and then has that 1 s grain).
 *
 * <p>Heap: the node's heap pools only keep a peak since start, which cannot be reset, so {@link #during} polls
 * {@code _nodes/stats/jvm} every 500 ms while the run goes on and keeps the largest {@code heap_used}; the node
 * refreshes those statistics once a second, so a peak shorter than that may be missed, and "used" includes garbage
 * not yet collected: it is what the node had to hold, not what the run retained.
 */
final class NodeCost {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TICK_MILLIS = 10;

    private final ElasticsearchNode node;
    private final long pid;
    private final Path stat;
    private final boolean proc;

    /** The counters at one instant. */
    record Snapshot(long cpuMillis, long heapUsed, long fielddataBytes, long globalOrdinalsMillis,
            Map<String, Long> globalOrdinalsByField) {
    }

    /**
     * What one run cost.
     *
     * @param cpuMillis             the node's CPU time during the run
     * @param heapBefore            heap used before the run
     * @param peakHeap              the largest heap used sampled during the run
     * @param fielddataAdded        fielddata memory (global ordinals included) after the run less before
     * @param globalOrdinalsMillis  global-ordinals build time during the run, as the node reports it
     * @param globalOrdinalsFields  the fields whose global ordinals were built during the run
     */
    record Cost(long cpuMillis, long heapBefore, long peakHeap, long fielddataAdded, long globalOrdinalsMillis,
            String globalOrdinalsFields) {

        static Cost between(Snapshot before, Snapshot after, long peakHeap) {
            StringBuilder fields = new StringBuilder();
            // in name order, whatever map the snapshot holds
            new TreeMap<>(after.globalOrdinalsByField()).forEach((field, millis) -> {
                long built = millis - before.globalOrdinalsByField().getOrDefault(field, 0L);
                if (built > 0 || !before.globalOrdinalsByField().containsKey(field)) {
                    fields.append(fields.length() == 0 ? "" : ", ").append(field).append(' ').append(built)
                            .append(" ms");
                }
            });
            return new Cost(after.cpuMillis() - before.cpuMillis(), before.heapUsed(),
                    Math.max(peakHeap, Math.max(before.heapUsed(), after.heapUsed())),
                    after.fielddataBytes() - before.fielddataBytes(),
                    after.globalOrdinalsMillis() - before.globalOrdinalsMillis(), fields.toString());
        }
    }

    NodeCost(ElasticsearchNode node) {
        this.node = node;
        this.pid = read("/_nodes/_local/process?filter_path=nodes.*.process.id").path("nodes").elements().next()
                .path("process").path("id").asLong();
        this.stat = Path.of("/proc", Long.toString(pid), "stat");
        this.proc = Files.isReadable(stat);
    }

    /** Where the CPU figure comes from, for the report. */
    String cpuSource() {
        return proc ? "/proc/" + pid + "/stat of the node's process" : "_nodes/stats process.cpu (1 s grain)";
    }

    /**
     * The counters now. The statistics request itself costs the node a little CPU: {@code cpuFirst} reads the CPU
     * before sending it (for the snapshot that ends a measurement), otherwise after (for the one that starts it), so
     * that neither request falls inside the measured span.
     */
    Snapshot snapshot(boolean cpuFirst) {
        long cpu = cpuFirst ? cpuMillis() : 0;
        JsonNode stats = read("/_nodes/_local/stats/jvm,indices/fielddata?fields=*&filter_path=nodes.*.jvm.mem"
                + ".heap_used_in_bytes,nodes.*.indices.fielddata,nodes.*.process.cpu").path("nodes").elements()
                .next();
        JsonNode fielddata = stats.path("indices").path("fielddata");
        // 8.19 reports global ordinals per field under fielddata (build time and value count)
        JsonNode ordinals = fielddata.path("global_ordinals");
        Map<String, Long> byField = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ordinals.path("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            byField.put(field.getKey(), field.getValue().path("build_time_in_millis").asLong());
        }
        return new Snapshot(cpuFirst ? cpu : cpuMillis(), stats.path("jvm").path("mem").path("heap_used_in_bytes").asLong(),
                fielddata.path("memory_size_in_bytes").asLong(), ordinals.path("build_time_in_millis").asLong(),
                byField);
    }

    long cpuMillis() {
        if (proc) {
            try {
                String line = Files.readString(stat);
                // the command name in parentheses may hold blanks: count fields after its closing parenthesis
                String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_MILLIS;
            } catch (IOException | RuntimeException e) {
                // fall through to the node's own figure
            }
        }
        return read("/_nodes/_local/stats/process?filter_path=nodes.*.process.cpu").path("nodes").elements().next()
                .path("process").path("cpu").path("total_in_millis").asLong();
    }

    /** Runs {@code work}, measuring the node while it runs. */
    <T> Measured<T> during(java.util.function.Supplier<T> work) {
        Snapshot before = snapshot(false);
        AtomicLong peak = new AtomicLong(before.heapUsed());
        Thread poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    peak.accumulateAndGet(read("/_nodes/_local/stats/jvm?filter_path=nodes.*.jvm.mem.heap_used_in_bytes")
                            .path("nodes").elements().next().path("jvm").path("mem").path("heap_used_in_bytes")
                            .asLong(), Math::max);
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a missed sample is not worth failing the run for
                }
            }
        }, "node-heap-poller");
        poller.setDaemon(true);
        poller.start();
        T result;
        try {
            result = work.get();
        } finally {
            poller.interrupt();
            try {
                poller.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Measured<>(result, Cost.between(before, snapshot(true), peak.get()));
    }

    /** The node's CPU time per second of wall time while nothing is asked of it, over {@code seconds}. */
    double idleCpuMillisPerSecond(int seconds) {
        long before = cpuMillis();
        long started = System.nanoTime();
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (cpuMillis() - before) / ((System.nanoTime() - started) / 1e9);
    }

    /** A result with what producing it cost the node. */
    record Measured<T>(T result, Cost cost) {
    }

    private JsonNode read(String path) {
        try {
            return JSON.readTree(node.request("GET", path, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
