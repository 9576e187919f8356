package io.logalert.sink.webhook;

import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.TimeWindow;
import io.logalert.testing.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Digests and sink settings the tests share. */
final class Samples {

    static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));
    static final Instant NOW = Instant.parse("2026-03-01T10:03:00Z");

    private Samples() {
    }

    /** A digest of {@code project} with one group per message, the first the largest. */
    static Digest digest(String project, String... messages) {
        List<ErrorGroup> groups = IntStream.range(0, messages.length).mapToObj(i -> new ErrorGroup(project,
                project + "#" + i, messages[i], messages[i], 50L - i, WINDOW.from().plusSeconds(i),
                WINDOW.from().plusSeconds(60 + i), "worker-" + i)).toList();
        return new Digest(Digest.idOf("pipe", project, WINDOW), "pipe", project, WINDOW, groups, 1, 4);
    }

    /** A digest of {@code project} with {@code groups} groups of about {@code chars} characters each. */
    static Digest big(String project, int groups, int chars) {
        String[] messages = IntStream.range(0, groups)
                .mapToObj(i -> ("payment " + i + " declined by the gateway ").repeat(chars / 30 + 1))
                .toArray(String[]::new);
        return digest(project, messages);
    }

    /** A builder pointed at {@code url} with the test's clock, no real waiting, and budgets of its own. */
    static WebhookSink.Builder sink(String url, ManualClock clock) {
        return WebhookSink.builder().webhook(url).clock(clock).sleeper(clock::advance)
                .random(new SplittableRandom(7)).budgets(new io.logalert.sink.robot.RateBudgets());
    }
}
