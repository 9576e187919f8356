package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.FileStateStore;
import io.logalert.TimeWindow;
import io.logalert.guarantees.Faults.RobotDigest;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.spi.PipelineState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 3: a pipeline with the {@code file} store, killed with SIGKILL after a run delivered and before it saved,
 * then started again: the robot gets that run's digest at most twice, every other digest once, nothing is lost, and
 * the restarted pipeline does not alert again about windows saved before the kill.
 */
class KillBetweenDeliveryAndSaveFaultIT {

    private static final String ID = "kill-orders";
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final int WINDOWS = 6;
    /** The run whose save the first child stops at, and where it is killed. */
    private static final int KILLED = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ElasticsearchNode node = ElasticsearchNode.shared();

    @Test
    void aKillBetweenDeliveryAndSaveRepeatsThatWindowOnceAndNothingElse(@TempDir Path dir) throws Exception {
        String index = Faults.index("kill");
        Path stateDir = dir.resolve("state");
        // run k (from 1) of a child started at T0 reads window k: the lookback first, then a minute each
        Instant firstDue = T0.minus(FaultChild.DELAY);
        List<TimeWindow> windows = IntStream.range(0, WINDOWS).mapToObj(k -> k == 0
                ? new TimeWindow(firstDue.minus(FaultChild.LOOKBACK), firstDue)
                : new TimeWindow(firstDue.plus(FaultChild.MINUTE.multipliedBy(k - 1)),
                        firstDue.plus(FaultChild.MINUTE.multipliedBy(k)))).toList();
        Random random = new Random(11);
        List<Long> perWindow = new ArrayList<>();
        for (int k = 0; k < WINDOWS; k++) {
            TimeWindow window = windows.get(k);
            List<Map<String, Object>> documents = Faults.errors(random, "checkout", 5 + 3 * k,
                    window.to().minus(FaultChild.MINUTE), window.to());
            perWindow.add(BulkLoader.loadDocuments(node, index, documents.stream()));
        }
        String hosts = Faults.hosts(node);

        try (DingTalkEmulator robot = DingTalkEmulator.builder().start()) {
            // the first child delivers window KILLED, then stops before saving it, and is killed there
            try (ChildJvm first = ChildJvm.start(dir.resolve("first.log"), "run", ID, T0.toString(), hosts, index,
                    robot.url(), stateDir.toString(), String.valueOf(WINDOWS), String.valueOf(KILLED))) {
                String saving = first.await("SAVING", TIMEOUT);
                assertThat(saving).as(first.describe()).contains(windows.get(KILLED - 1).to().toString());
                assertThat(Faults.robotDigests(robot)).as("delivered before the kill" + first.describe())
                        .extracting(RobotDigest::to).containsExactlyElementsOf(windows.subList(0, KILLED).stream()
                                .map(TimeWindow::to).toList());
                assertThat(first.kill()).as("exit code of a SIGKILL").isEqualTo(137);
            }
            int beforeRestart = robot.accepted().size();
            // what survived the kill: the save before it, not the one it interrupted
            try (FileStateStore store = new FileStateStore(stateDir)) {
                PipelineState saved = store.load(ID).orElseThrow();
                assertThat(saved.checkpoint()).isEqualTo(windows.get(KILLED - 2).to());
                assertThat(saved.pending()).isEmpty();
            }

            // the second child starts where the first one stood when killed and runs to the end
            Instant restartedAt = T0.plus(FaultChild.MINUTE.multipliedBy(KILLED - 1));
            try (ChildJvm second = ChildJvm.start(dir.resolve("second.log"), "run", ID, restartedAt.toString(),
                    hosts, index, robot.url(), stateDir.toString(), String.valueOf(WINDOWS - KILLED + 1), "0")) {
                assertThat(second.awaitExit(TIMEOUT)).as(second.describe()).isZero();
                assertThat(second.lines()).as(second.describe()).filteredOn(l -> l.startsWith("RUN"))
                        .hasSize(WINDOWS - KILLED + 1).allSatisfy(l -> assertThat(l).endsWith("failure=none"));
            }

            List<RobotDigest> received = Faults.robotDigests(robot);
            // after the restart, nothing of a window saved before the kill
            assertThat(received.subList(beforeRestart, received.size())).extracting(RobotDigest::from)
                    .allSatisfy(from -> assertThat(from).isAfterOrEqualTo(windows.get(KILLED - 1).from()));
            // every window's digest once, the killed run's twice, with the same count both times
            for (int k = 0; k < WINDOWS; k++) {
                TimeWindow window = windows.get(k);
                long expected = perWindow.get(k);
                List<RobotDigest> ofWindow = received.stream().filter(d -> d.from().equals(window.from())
                        && d.to().equals(window.to())).toList();
                assertThat(ofWindow).as("digests of window %d, %s", k + 1, window)
                        .hasSize(k == KILLED - 1 ? 2 : 1)
                        .allSatisfy(d -> assertThat(d.events()).isEqualTo(expected));
            }
            assertThat(received).hasSize(WINDOWS + 1);
            long distinctEvents = received.stream().distinct().mapToLong(RobotDigest::events).sum();
            assertThat(distinctEvents).isEqualTo(perWindow.stream().mapToLong(Long::longValue).sum());
        }
    }
}
