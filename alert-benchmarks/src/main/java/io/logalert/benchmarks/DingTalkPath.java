package io.logalert.benchmarks;

import io.logalert.AlertPipeline;
import io.logalert.LogEvent;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.sink.dingtalk.DingTalkSink;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The DingTalk path: {@code projects} projects erroring in one window, read by an {@link AlertPipeline} (fingerprint
 * aggregator, one digest per project) and delivered by a {@link DingTalkSink} to a {@link DingTalkEmulator}, both on
 * one {@link ManualClock}. The pipeline runs every simulated minute, re-offering what the sink answered "retry
 * later", until nothing is pending. Nothing sleeps: the sink's retry backoff advances the clock.
 */
final class DingTalkPath {

    static final Instant FROM = Instant.parse("2025-01-06T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_RUNS = 240;

    /** What delivering took. */
    record Result(int projects, long events, int digests, int runs, long requests, long accepted, int minBytes,
            int medianBytes, int maxBytes, Duration drain, long throttles, long rejected, long otherErrors,
            long maxPerMinute) {
    }

    private DingTalkPath() {
    }

    static Result run(int projects) {
        TimeWindow window = new TimeWindow(FROM, FROM.plus(INTERVAL));
        List<LogEvent> events = events(projects, window);
        long total = events.stream().mapToLong(LogEvent::occurrences).sum();
        ManualClock clock = new ManualClock(window.to());
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("bench-token").secret("SECbench")
                .keywords("alert").clock(clock).start()) {
            DingTalkSink sink = DingTalkSink.builder().webhook(robot.url()).secret("SECbench")
                    .keywords(List.of("alert")).clock(clock).sleeper(clock::advance).build();
            int runs = 0;
            int digests = 0;
            long rejected = 0;
            try (AlertPipeline pipeline = AlertPipeline.builder().id("dingtalk-bench")
                    .source(new InMemoryLogSource(events)).addSink(sink).clock(clock).queryDelay(Duration.ZERO)
                    .interval(INTERVAL).maxWindow(INTERVAL).initialLookback(INTERVAL).build()) {
                while (runs < MAX_RUNS) {
                    RunReport report = pipeline.runOnce();
                    runs++;
                    digests += report.digests().size();
                    rejected += report.rejected();
                    if (report.pending() == 0) {
                        break;
                    }
                    clock.advance(INTERVAL);
                }
            } finally {
                sink.close();
            }
            List<DingTalkEmulator.Exchange> exchanges = robot.exchanges();
            List<Integer> bytes = exchanges.stream().map(DingTalkEmulator.Exchange::bodyBytes).sorted().toList();
            List<DingTalkEmulator.Accepted> accepted = robot.accepted();
            Duration drain = accepted.isEmpty() ? Duration.ZERO
                    : Duration.between(window.to(), accepted.get(accepted.size() - 1).receivedAt());
            long throttles = robot.answered(410100) + robot.answered(130101);
            long errors = exchanges.stream().filter(e -> e.errcode().orElse(-999) != 0).count() - throttles;
            long maxPerMinute = 0;
            for (int i = 0; i < exchanges.size(); i++) {
                Instant start = exchanges.get(i).receivedAt();
                long inMinute = exchanges.stream().filter(e -> !e.receivedAt().isBefore(start)
                        && e.receivedAt().isBefore(start.plusSeconds(60))).count();
                maxPerMinute = Math.max(maxPerMinute, inMinute);
            }
            return new Result(projects, total, digests, runs, exchanges.size(), accepted.size(),
                    bytes.isEmpty() ? 0 : bytes.get(0), bytes.isEmpty() ? 0 : bytes.get(bytes.size() / 2),
                    bytes.isEmpty() ? 0 : bytes.get(bytes.size() - 1), drain, throttles, rejected, errors,
                    maxPerMinute);
        }
    }

    /** 1 to 12 kinds of error per project, each logged 1 to 200 times, messages with ids, some stack traces. */
    static List<LogEvent> events(int projects, TimeWindow window) {
        MixGenerator generator = new MixGenerator(7, MixGenerator.Mix.IDS, 0, 0, window);
        List<MixGenerator.Kind> kinds = generator.kinds();
        Random random = new Random(11);
        List<LogEvent> events = new ArrayList<>();
        long span = window.duration().toMillis();
        for (int p = 0; p < projects; p++) {
            String project = String.format(java.util.Locale.ROOT, "service-%04d", p);
            int groups = 1 + random.nextInt(12);
            for (int g = 0; g < groups; g++) {
                MixGenerator.Kind kind = kinds.get(random.nextInt(kinds.size()));
                String message = MixGenerator.message(kind, random);
                long occurrences = 1 + random.nextInt(200);
                Instant first = window.from().plusMillis(random.nextInt((int) span / 2));
                events.add(LogEvent.builder().project(project).message(message).timestamp(first)
                        .lastTimestamp(first.plusMillis(random.nextInt((int) span / 2))).thread("worker-" + g)
                        .logger(kind.logger()).stackTrace(kind.traceInMessage() ? "" : kind.stackTrace())
                        .occurrences(occurrences).build());
            }
        }
        return events;
    }
}
