package io.logalert.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a run cost, from the node's counters before and after it. */
class NodeCostTest {

    @Test
    void aRunCostsTheDifferenceOfTheCounters() {
        NodeCost.Snapshot before = new NodeCost.Snapshot(1_000, 100, 2_048, 40, Map.of("msg.keyword", 30L,
                "projectname.keyword", 10L));
        NodeCost.Snapshot after = new NodeCost.Snapshot(3_500, 150, 6_144, 95, Map.of("msg.keyword", 80L,
                "projectname.keyword", 10L, "threadname", 5L));

        NodeCost.Cost cost = NodeCost.Cost.between(before, after, 400);

        assertThat(cost.cpuMillis()).isEqualTo(2_500);
        assertThat(cost.heapBefore()).isEqualTo(100);
        assertThat(cost.peakHeap()).isEqualTo(400);
        assertThat(cost.fielddataAdded()).isEqualTo(4_096);
        assertThat(cost.globalOrdinalsMillis()).isEqualTo(55);
        // only the fields whose global ordinals were built during the run: a field first seen counts too
        assertThat(cost.globalOrdinalsFields()).isEqualTo("msg.keyword 50 ms, threadname 5 ms");
    }

    @Test
    void thePeakIsNeverBelowWhatTheSnapshotsSaw() {
        NodeCost.Snapshot before = new NodeCost.Snapshot(0, 300, 0, 0, Map.of());
        NodeCost.Snapshot after = new NodeCost.Snapshot(0, 350, 0, 0, Map.of());

        // the poller may not have sampled at all during a run shorter than its period
        assertThat(NodeCost.Cost.between(before, after, 0).peakHeap()).isEqualTo(350);
        assertThat(NodeCost.Cost.between(before, after, 0).globalOrdinalsFields()).isEmpty();
    }
}
