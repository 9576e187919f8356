package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.AlertPipeline;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.FileStateStore;
import io.logalert.HeldBack;
import io.logalert.Mark;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.Silence;
import io.logalert.Silenced;
import io.logalert.TimeWindow;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.spi.KnownKind;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart between two windows of the same errors: pipeline A reads window 1 and is closed; pipeline B, a new
 * instance over the same {@code file} state directory, reads windows 2 to 7. B gives the errors the keys A gave
 * them (the {@code template} aggregator's learnt templates are saved and restored), realert goes on holding what A
 * showed, a silence set through A holds in B, and no kind is marked new twice.
 */
class RestartFaultIT {

    private static final String ID = "restart-orders";
    private static final Instant T0 = Instant.parse("2026-03-03T09:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final int WINDOWS = 7;
    /** Cache nodes: window 1 shows four, so the slot is learnt as a variable; later windows show one each. */
    private static final List<String> NODES = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",
            "theta", "iota", "kappa");

    private final ElasticsearchNode node = ElasticsearchNode.shared();
    private final ManualClock clock = new ManualClock(T0);
    private final RecordingAlertSink sink = new RecordingAlertSink();
    private final List<RunReport> reportsOfA = new ArrayList<>();
    private final List<RunReport> reportsOfB = new ArrayList<>();

    @Test
    void aRestartedPipelineKeepsKeysRealertSilencesAndWhatIsNew(@TempDir Path dir) {
        String index = Faults.index("restart");
        Random random = new Random(5);
        List<Long> orders = new ArrayList<>();
        long indexed = 0;
        for (int k = 0; k < WINDOWS; k++) {
            TimeWindow window = window(k);
            List<Map<String, Object>> documents = new ArrayList<>();
            int orderCount = 3 + k;
            for (int i = 0; i < orderCount; i++) {
                documents.add(Faults.error(window.from().plusSeconds(i), "checkout",
                        "order " + (1000 + random.nextInt(9000)) + " failed"));
            }
            orders.add((long) orderCount);
            List<String> nodes = k == 0 ? NODES.subList(0, 4) : List.of(NODES.get(3 + k));
            for (String cacheNode : nodes) {
                documents.add(Faults.error(window.from().plusSeconds(20), "checkout",
                        "cache node " + cacheNode + " unreachable"));
            }
            for (int i = 0; i < 2; i++) {
                documents.add(Faults.error(window.from().plusSeconds(30 + i), "billing",
                        "card declined for customer " + (100 + random.nextInt(900))));
            }
            indexed += BulkLoader.loadDocuments(node, index, documents.stream());
        }
        PluginConfig source = PluginConfig.of(Map.of("hosts", Faults.hosts(node),
                "index", index));
        PluginConfig store = PluginConfig.of(Map.of("path", dir.toString()));

        Map<String, String> keysOfA;
        try (AlertPipeline a = pipeline(source, store)) {
            reportsOfA.add(run(a));
            keysOfA = shown(reportsOfA).stream().collect(Collectors.toMap(RestartFaultIT::kind, ErrorGroup::key));
            assertThat(keysOfA).containsOnlyKeys("checkout order failed", "checkout cache node unreachable",
                    "billing card declined for customer");
            // silenced for three minutes of the run clock: B's runs 2 to 4
            a.silences().add(new Silence("card-incident", Silence.Scope.KIND,
                    keysOfA.get("billing card declined for customer"), clock.instant(),
                    clock.instant().plus(Duration.ofMinutes(3)), "card processor incident", "alice"));
        }
        try (AlertPipeline b = pipeline(source, store)) {
            for (int k = 1; k < WINDOWS; k++) {
                reportsOfB.add(run(b));
            }
        }
        assertThat(reportsOfB).allSatisfy(r -> assertThat(r.failure()).isEmpty());

        // the same errors, the same keys
        List<ErrorGroup> shownByB = shown(reportsOfB);
        assertThat(shownByB).isNotEmpty().allSatisfy(g -> assertThat(g.key())
                .as("key of %s in B", kind(g)).isEqualTo(keysOfA.get(kind(g))));
        PipelineState saved;
        try (FileStateStore files = new FileStateStore(dir)) {
            saved = files.load(ID).orElseThrow();
        }
        assertThat(saved.kinds()).extracting(KnownKind::key).as("kinds the state knows")
                .containsExactlyInAnyOrderElementsOf(keysOfA.values());

        // nothing marked new twice: every kind was new in A, none is in B
        assertThat(shown(reportsOfA)).extracting(ErrorGroup::mark).containsOnly(Mark.NEW);
        assertThat(shownByB).extracting(ErrorGroup::mark).doesNotContain(Mark.NEW);

        // realert holds across the restart: orders shown in window 1 are held in windows 2 to 5, shown in window 6
        // with what was held
        assertThat(reportsOfB.subList(0, 4)).allSatisfy(r -> assertThat(r.heldByRealert()).isPositive());
        List<ErrorGroup> ordersShownByB = shownByB.stream().filter(g -> kind(g).equals("checkout order failed"))
                .toList();
        assertThat(ordersShownByB).singleElement().satisfies(g -> {
            assertThat(g.count()).isEqualTo(orders.get(5));
            assertThat(g.heldBack()).hasValueSatisfying(h -> {
                assertThat(h.count()).isEqualTo(orders.subList(1, 5).stream().mapToLong(Long::longValue).sum());
                assertThat(h.since()).isAfterOrEqualTo(window(1).from()).isBefore(window(1).to());
            });
        });

        // the silence set through A holds in B while active, and B says what it held once it ended
        assertThat(reportsOfB.subList(0, 3)).extracting(RunReport::heldBySilence).containsOnly(2L);
        assertThat(reportsOfB.subList(0, 3)).allSatisfy(r -> assertThat(r.digests()).flatMap(Digest::groups)
                .extracting(ErrorGroup::project).doesNotContain("billing"));
        List<Silenced> notes = reportsOfB.stream().flatMap(r -> r.digests().stream())
                .flatMap(d -> d.silenced().stream()).toList();
        assertThat(notes).singleElement().satisfies(n -> {
            assertThat(n.silenceId()).isEqualTo("card-incident");
            assertThat(n.events()).isEqualTo(6);
        });

        // nothing lost: shown, shown as held back, said as silenced, or still held in the state
        List<ErrorGroup> shown = new ArrayList<>(shown(reportsOfA));
        shown.addAll(shownByB);
        long accounted = shown.stream().mapToLong(g -> g.count() + g.heldBack().map(HeldBack::count).orElse(0L))
                .sum() + notes.stream().mapToLong(Silenced::events).sum()
                + saved.kinds().stream().mapToLong(k -> k.held().map(ErrorGroup::count).orElse(0L)).sum()
                + saved.silenced().stream().mapToLong(Silenced::events).sum();
        assertThat(accounted).isEqualTo(indexed);
        assertThat(sink.delivered()).extracting(Digest::id).doesNotHaveDuplicates();
    }

    private AlertPipeline pipeline(PluginConfig source, PluginConfig store) {
        return AlertPipeline.builder().id(ID).source("elasticsearch", source).addSink(sink)
                .stateStore("file", store).clock(clock).queryDelay(DELAY).interval(MINUTE).initialLookback(MINUTE)
                .realert(Realert.every(Duration.ofMinutes(5))).build();
    }

    private RunReport run(AlertPipeline pipeline) {
        RunReport report = pipeline.runOnce();
        clock.advance(MINUTE);
        return report;
    }

    /** Window {@code k} (from 0): the one the k-th run reads. */
    private static TimeWindow window(int k) {
        Instant to = T0.minus(DELAY).plus(MINUTE.multipliedBy(k));
        return new TimeWindow(to.minus(MINUTE), to);
    }

    private static List<ErrorGroup> shown(List<RunReport> reports) {
        return reports.stream().flatMap(r -> r.digests().stream()).flatMap(d -> d.groups().stream()).toList();
    }

    /** The project and the words of a group's template, which name its kind for these assertions. */
    private static String kind(ErrorGroup group) {
        return group.project() + " " + group.template().replaceAll("<\\*>", " ").replaceAll("\\s+", " ").strip();
    }
}
