package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.AlertPipeline;
import io.logalert.Digest;
import io.logalert.InMemoryStateStore;
import io.logalert.LogEvent;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.guarantees.Faults.RecordingSink;
import io.logalert.guarantees.Faults.RobotDigest;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.source.elasticsearch.ElasticsearchLogSource;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.spi.LogSource;
import io.logalert.spi.PluginConfig;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 1 across a crash of the source: Elasticsearch is killed with SIGKILL from another thread while a run
 * pages through a large window, {@value #PAGE_SIZE} documents a page. That run fails, names the window, sends
 * nothing and keeps the checkpoint; the node is started again on its data, and the runs after it read the window
 * again: summed over every run, the counts equal the documents indexed, exactly, and the robot got each window once.
 *
 * <p>The node killed is the shared one, restarted before the test ends (whatever happens): starting a node of its
 * own would double the test's time on a small machine, and the fault tests run one at a time.
 */
class ElasticsearchKillFaultIT {

    private static final String ID = "killed-node-orders";
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final int PAGE_SIZE = 100;
    /** Documents of the large window, per project. */
    private static final Map<String, Integer> LARGE = Map.of("checkout", 8_000, "billing", 4_000);
    /** How far into the large window the read is when the node is killed. */
    private static final int KILL_AT = 2_500;

    private final Instant t0 = Faults.anHourAgo();
    private final ManualClock clock = new ManualClock(t0);
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Random random = new Random(17);
    private KillingSource source;
    private boolean restarted;

    @Test
    void aNodeKilledDuringALargeReadFailsThatRunAndTheRunsAfterTheRestartCountEveryDocumentOnce() throws Exception {
        String index = Faults.index("killed");
        TimeWindow first = new TimeWindow(t0.minus(DELAY).minus(MINUTE), t0.minus(DELAY));
        TimeWindow large = new TimeWindow(first.to(), first.to().plus(MINUTE));
        TimeWindow last = new TimeWindow(large.to(), large.to().plus(MINUTE));
        List<RunReport> reports = new ArrayList<>();
        ElasticsearchNode node = ElasticsearchNode.shared();
        try (DingTalkEmulator robot = DingTalkEmulator.builder().start()) {
            long indexed = load(node, index, first, Map.of("checkout", 30, "billing", 12));
            long inLarge = load(node, index, large, LARGE);
            indexed += inLarge;
            source = new KillingSource(ElasticsearchLogSource.create(PluginConfig.of(Map.of(
                    "hosts", Faults.hosts(node), "index", index, "mode", "stream",
                    "page-size", String.valueOf(PAGE_SIZE), "request-timeout", "10s"))), node);
            RecordingSink sink = new RecordingSink(Faults.robotSink(robot));
            try (KillingSource closing = source; AlertPipeline pipeline = AlertPipeline.builder().id(ID)
                    .source(source).addSink(sink).stateStore(store).clock(clock).queryDelay(DELAY).interval(MINUTE)
                    .initialLookback(MINUTE).realert(Realert.NONE).build()) {
                reports.add(pipeline.runOnce());
                assertThat(reports.get(0).window()).contains(first);
                assertThat(reports.get(0).isClean()).as("%s", reports.get(0)).isTrue();

                // the large window: the node dies under the read
                clock.advance(MINUTE);
                source.killAfter(KILL_AT);
                RunReport killed = pipeline.runOnce();
                assertThat(source.killed()).as("processes of the node killed").isPositive();
                assertThat(source.handed()).as("documents handed over before the read failed")
                        .isGreaterThanOrEqualTo(KILL_AT).isLessThan(inLarge);
                assertThat(killed.failure()).as("%s", killed).isPresent();
                assertThat(killed.failedWindow()).contains(large);
                assertThat(killed.window()).isEmpty();
                assertThat(killed.eventsRead()).isZero();
                assertThat(killed.digests()).isEmpty();
                assertThat(store.load(ID).orElseThrow().checkpoint()).as("checkpoint").isEqualTo(first.to());
                int beforeRestart = robot.accepted().size();

                // back on its data: the window is read again, then the next one
                node.restart();
                restarted = true;
                indexed += load(node, index, last, Map.of("checkout", 21, "billing", 9));
                RunReport again = pipeline.runOnce();
                reports.add(again);
                assertThat(again.window()).contains(large);
                assertThat(again.eventsRead()).isEqualTo(inLarge);
                clock.advance(MINUTE);
                reports.add(pipeline.runOnce());
                assertThat(reports.get(2).window()).contains(last);
                assertThat(reports).allSatisfy(r -> assertThat(r.isClean()).as("%s", r).isTrue());
                assertThat(beforeRestart).as("messages before the restart: the first window's only").isEqualTo(2);
            }

            assertThat(reports.stream().mapToLong(RunReport::eventsRead).sum()).as("events read").isEqualTo(indexed);
            List<Digest> delivered = sink.delivered();
            assertThat(delivered).extracting(Digest::id).doesNotHaveDuplicates();
            assertThat(delivered.stream().mapToLong(Digest::totalEvents).sum()).isEqualTo(indexed);
            List<RobotDigest> received = Faults.robotDigests(robot);
            assertThat(received).hasSize(6);
            assertThat(received.stream().mapToLong(RobotDigest::events).sum()).as("events the robot received")
                    .isEqualTo(indexed);
            Faults.assertNoneCountTheSameRecords(received, "");
        } finally {
            // the other tests need the shared node
            if (source != null && source.struck() && !restarted) {
                node.restart();
            }
        }
    }

    /** Loads {@code perProject} errors of each project spread over {@code window}; how many were indexed. */
    private long load(ElasticsearchNode node, String index, TimeWindow window, Map<String, Integer> perProject) {
        return perProject.entrySet().stream().mapToLong(e -> Faults.load(node, index, random, e.getKey(),
                e.getValue(), window)).sum();
    }

    /**
     * The real source, whose read, once told so, has the node killed from another thread after handing over so
     * many documents, and waits until it is dead before taking the next.
     */
    private static final class KillingSource extends ForwardingLogSource {

        private final ElasticsearchNode node;
        private int killAfter;
        private long handed;
        private int killed;
        private boolean struck;

        KillingSource(LogSource delegate, ElasticsearchNode node) {
            super(delegate);
            this.node = node;
        }

        void killAfter(int documents) {
            killAfter = documents;
        }

        long handed() {
            return handed;
        }

        int killed() {
            return killed;
        }

        /** Whether the node was told to die, whether or not it did. */
        boolean struck() {
            return struck;
        }

        @Override
        public void read(TimeWindow window, Consumer<LogEvent> consumer) {
            handed = 0;
            delegate.read(window, event -> {
                consumer.accept(event);
                handed += event.occurrences();
                if (killAfter > 0 && handed >= killAfter) {
                    killAfter = 0;
                    struck = true;
                    CompletableFuture<Integer> killer = CompletableFuture.supplyAsync(() -> {
                        try {
                            return Faults.killNode(node);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    });
                    try {
                        killed = killer.get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("cannot kill the node", e);
                    }
                }
            });
        }
    }
}
