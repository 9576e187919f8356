package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.AlertPipeline;
import io.logalert.Digest;
import io.logalert.DigestOptions;
import io.logalert.ErrorGroup;
import io.logalert.InMemoryStateStore;
import io.logalert.LogEvent;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.aggregate.ExactAggregator;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.SampleDetails;
import io.logalert.spi.SampleRequest;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Aggregate mode counts with the composite aggregation alone and loads the samples its digests show afterwards, in
 * one request per run, through a counting proxy in front of the real node.
 */
class AggregateDetailsIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant NOW = T0.plus(Duration.ofMinutes(5));
    private static final int KINDS = 30;
    /** A message some kinds share across both projects: its sample is the one of the project asked for. */
    private static final String SHARED = "shared failure";
    private static final String INDEX = TestIndices.unique("aggregate-details");
    /** The same kinds of record with timestamps in nanoseconds, under a {@code date_nanos} mapping. */
    private static final String NANOS = TestIndices.unique("aggregate-details-nanos");
    private static final int NANOS_KINDS = 3;

    private static CountingProxy proxy;

    @BeforeAll
    static void load() throws Exception {
        ElasticsearchNode node = ElasticsearchNode.shared();
        List<LogEvent> events = new ArrayList<>();
        for (int kind = 0; kind < KINDS; kind++) {
            // kind k has k + 1 documents with the details of their kind, a sample from another kind shows; the
            // newest has a thread of its own, which shows that the sample is the newest record
            for (int copy = 0; copy <= kind; copy++) {
                events.add(LogEvent.builder().timestamp(T0.plusSeconds(kind).plusMillis(copy * 10L))
                        .project("p" + (kind % 2)).message("failure of kind " + kind)
                        .thread(copy == kind ? newestThread(kind) : "thread-" + kind)
                        .logger("com.example.Kind" + kind)
                        .stackTrace("java.lang.IllegalStateException: kind " + kind + "\n\tat a.B.c(B.java:" + kind
                                + ")")
                        .build());
            }
        }
        events.add(LogEvent.builder().timestamp(T0.plusSeconds(41)).project("p0").message(SHARED)
                .thread("shared-p0").build());
        events.add(LogEvent.builder().timestamp(T0.plusSeconds(42)).project("p1").message(SHARED)
                .thread("shared-p1").build());
        // documents without a project: their bucket's sample is looked up without one
        events.add(LogEvent.builder().timestamp(T0.plusSeconds(40)).project("").message("orphan failure")
                .thread("orphan-thread").build());
        TestIndices.load(node, INDEX, events);

        node.request("PUT", "/" + NANOS, "{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date_nanos\"}}}}");
        List<LogEvent> nanos = new ArrayList<>();
        for (int kind = 0; kind < NANOS_KINDS; kind++) {
            Instant second = T0.plusSeconds(kind);
            // the two newest in one millisecond, which is all a max aggregation on date_nanos tells of them
            nanos.add(nanosEvent(kind, second.plusNanos(123_456), "ERROR", "oldest-" + kind));
            nanos.add(nanosEvent(kind, second.plusMillis(2).plusNanos(123_456), "ERROR", "older-" + kind));
            nanos.add(nanosEvent(kind, second.plusMillis(2).plusNanos(654_321), "WARN", newestThread(kind)));
        }
        TestIndices.load(node, NANOS, nanos);
        proxy = new CountingProxy(node.uri());
    }

    private static String newestThread(int kind) {
        return "newest-thread-" + kind;
    }

    private static LogEvent nanosEvent(int kind, Instant at, String level, String thread) {
        return LogEvent.builder().timestamp(at).project("p").message("failure of kind " + kind).level(level)
                .thread(thread).build();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static ElasticsearchLogSource source() {
        return ElasticsearchLogSource.create(PluginConfig.of(Map.of("hosts", proxy.hosts(), "index", INDEX,
                "mode", "aggregate")));
    }

    private static AlertPipeline.Builder pipeline(ElasticsearchLogSource source, RecordingAlertSink sink) {
        return AlertPipeline.builder().id("details").source(source).addSink(sink).stateStore(new InMemoryStateStore())
                .clock(new ManualClock(NOW)).queryDelay(Duration.ofSeconds(30)).initialLookback(Duration.ofMinutes(10))
                .maxWindow(Duration.ofMinutes(10)).realert(Realert.NONE).aggregator(new ExactAggregator())
                .digests(DigestOptions.DEFAULTS.maxGroups(5));
    }

    @Test
    void digestsShowTheirOwnSamplesLoadedInOneRequestAndCountsStayExact() {
        RecordingAlertSink sink = new RecordingAlertSink();
        try (ElasticsearchLogSource source = source(); AlertPipeline p = pipeline(source, sink).build()) {
            proxy.clear();
            RunReport report = p.runOnce();

            assertThat(report.failure()).isEmpty();
            assertThat(report.warnings()).noneMatch(w -> w.contains("sample details"));
            assertThat(report.eventsRead()).isEqualTo(KINDS * (KINDS + 1) / 2 + 3);
            assertThat(report.groupCount()).isEqualTo(KINDS + 3);
            // one batched request for the 11 samples shown (5 per project and the orphan), however many groups: the
            // read's searches run on a point in time (POST /_search), the samples' on the index
            assertThat(proxy.count("/" + INDEX + "/_search")).isEqualTo(1);
            assertThat(sink.delivered()).extracting(Digest::project).contains("p0", "p1", LogEvent.NO_PROJECT);
            for (Digest digest : sink.delivered()) {
                for (ErrorGroup group : digest.groups()) {
                    if (group.project().equals(LogEvent.NO_PROJECT)) {
                        assertThat(group.sampleThread()).isEqualTo("orphan-thread");
                        continue;
                    }
                    int kind = Integer.parseInt(group.sampleMessage().substring("failure of kind ".length()));
                    assertThat(group.count()).isEqualTo(kind + 1);
                    assertThat(group.sampleThread()).isEqualTo(newestThread(kind));
                    assertThat(group.firstSeen()).isEqualTo(T0.plusSeconds(kind));
                    assertThat(group.lastSeen()).isEqualTo(T0.plusSeconds(kind).plusMillis(kind * 10L));
                }
            }
            Digest p1 = sink.delivered().stream().filter(d -> d.project().equals("p1")).findFirst().orElseThrow();
            assertThat(p1.groups()).extracting(ErrorGroup::count).containsExactly(30L, 28L, 26L, 24L, 22L);
            assertThat(p1.omittedGroups()).isEqualTo(11);
        }
    }

    @Test
    void theSourceGivesTheLoggerAndStackTraceOfTheRightDocumentsInOneRequest() {
        TimeWindow window = new TimeWindow(T0, NOW);
        try (ElasticsearchLogSource source = source()) {
            List<LogEvent> read = new ArrayList<>();
            source.read(window, read::add);
            assertThat(read).hasSize(KINDS + 3).allMatch(LogEvent::detailsPending);
            // the window is read for one level: every bucket's level is known while counting
            assertThat(read).extracting(LogEvent::level).containsOnly("ERROR");
            proxy.clear();

            Map<SampleRequest, SampleDetails> details = source.details(read.stream()
                    .map(e -> new SampleRequest(window, e.project(), e.message(),
                            java.util.Optional.of(e.lastTimestamp()))).toList());

            assertThat(proxy.requests()).containsExactly("POST /" + INDEX + "/_search");
            assertThat(details).hasSize(KINDS + 3);
            details.forEach((request, found) -> {
                if (request.project().equals(LogEvent.NO_PROJECT)) {
                    assertThat(found).isEqualTo(new SampleDetails("orphan-thread", "", "", "ERROR"));
                    return;
                }
                if (request.message().equals(SHARED)) {
                    assertThat(found.thread()).isEqualTo("shared-" + request.project());
                    return;
                }
                int kind = Integer.parseInt(request.message().substring("failure of kind ".length()));
                assertThat(found.thread()).isEqualTo(newestThread(kind));
                assertThat(found.logger()).isEqualTo("com.example.Kind" + kind);
                assertThat(found.stackTrace()).startsWith("java.lang.IllegalStateException: kind " + kind + "\n");
            });
        }
    }

    @Test
    void onDateNanosTheSampleIsTheNewestRecordOfItsMillisecondWithItsLevel() {
        TimeWindow window = new TimeWindow(T0, NOW);
        try (ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of(
                "hosts", proxy.hosts(), "index", NANOS, "mode", "aggregate", "levels", "error,warn")))) {
            List<LogEvent> read = new ArrayList<>();
            source.read(window, read::add);
            assertThat(read).hasSize(NANOS_KINDS).allSatisfy(e -> {
                assertThat(e.occurrences()).isEqualTo(3);
                // two levels read: a bucket's level comes with its sample
                assertThat(e.level()).isEqualTo(Documents.NO_LEVEL);
            });

            Map<SampleRequest, SampleDetails> details = source.details(read.stream()
                    .map(e -> new SampleRequest(window, e.project(), e.message(),
                            java.util.Optional.of(e.lastTimestamp()))).toList());

            assertThat(details).hasSize(NANOS_KINDS);
            details.forEach((request, found) -> {
                int kind = Integer.parseInt(request.message().substring("failure of kind ".length()));
                assertThat(found.thread()).isEqualTo(newestThread(kind));
                assertThat(found.level()).isEqualTo("WARN");
            });
        }
    }

    @Test
    void aNodeThatFailsTheDetailRequestCostsTheDetailsNotTheCounts() {
        RecordingAlertSink sink = new RecordingAlertSink();
        // a node that is gone by the time the samples are asked for: the read went through, the details cannot
        ElasticsearchLogSource reading = source();
        ElasticsearchLogSource gone = ElasticsearchLogSource.create(PluginConfig.of(Map.of(
                "hosts", "http://127.0.0.1:1", "index", INDEX, "mode", "aggregate", "request-timeout", "2s")));
        io.logalert.spi.LogSource failingDetails = new io.logalert.spi.LogSource() {
            @Override
            public void read(TimeWindow window, java.util.function.Consumer<LogEvent> consumer) {
                reading.read(window, consumer);
            }

            @Override
            public Map<SampleRequest, SampleDetails> details(List<SampleRequest> requests) {
                return gone.details(requests);
            }

            @Override
            public void close() {
                reading.close();
                gone.close();
            }
        };
        try (AlertPipeline p = AlertPipeline.builder().id("details").source(failingDetails).addSink(sink)
                .stateStore(new InMemoryStateStore()).clock(new ManualClock(NOW)).queryDelay(Duration.ofSeconds(30))
                .initialLookback(Duration.ofMinutes(10)).realert(Realert.NONE).aggregator(new ExactAggregator())
                .build()) {
            RunReport report = p.runOnce();

            assertThat(report.failure()).isEmpty();
            assertThat(report.eventsRead()).isEqualTo(KINDS * (KINDS + 1) / 2 + 3);
            assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("cannot load the sample threads of",
                    "127.0.0.1:1"));
            assertThat(sink.delivered()).flatExtracting(Digest::groups).extracting(ErrorGroup::sampleThread)
                    .containsOnly("");
            assertThat(sink.delivered().stream().mapToLong(Digest::totalEvents).sum())
                    .isEqualTo(KINDS * (KINDS + 1) / 2 + 3);
        }
    }
}
