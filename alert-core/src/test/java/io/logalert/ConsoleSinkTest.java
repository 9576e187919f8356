package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleSinkTest {

    private static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ConsoleSink sink =
            new ConsoleSink(new PrintStream(printed, true, StandardCharsets.UTF_8), ZoneId.of("Asia/Shanghai"));

    private static ErrorGroup group(String key, long count, int firstSecond, int lastSecond) {
        return new ErrorGroup("shop", key, key + " <*> failed", key + " 42 failed", count,
                WINDOW.from().plusSeconds(firstSecond), WINDOW.from().plusSeconds(lastSecond), "worker-1");
    }

    private static Silenced silenced(String project, long events) {
        return new Silenced("deploy-42", "deploy\nof v2", project, events, Instant.parse("2026-03-01T06:00:00Z"),
                Instant.parse("2026-03-01T08:00:00Z"));
    }

    private String deliver(Digest digest) {
        List<DeliveryResult> results = sink.deliver(List.of(digest));
        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void marksHeldBackAndSilenceNotesArePrintedWithTheirGroups() {
        List<ErrorGroup> groups = List.of(
                group("order", 1000, 0, 30).withMark(Mark.NEW),
                group("payment", 18, 5, 50).withMark(Mark.BACK)
                        .withHeldBack(Optional.of(new HeldBack(312, Instant.parse("2026-03-01T09:05:00Z")))),
                group("stock", 7, 1, 2));
        Digest digest = new Digest(Digest.idOf("pipe", "shop", WINDOW), "pipe", "shop", WINDOW, groups, 2, 9,
                List.of(silenced("shop", 412)), Optional.empty());

        String text = deliver(digest);

        assertThat(text).contains("[new]      1000 x order <*> failed\n",
                "[back]       18 x payment <*> failed\n",
                "\n              7 x stock <*> failed\n",
                "                  +312 held back since 2026-03-01 17:05:00.000 +08:00; first 2026-03-01 18:00:05.000"
                        + " +08:00, last 2026-03-01 18:00:50.000 +08:00, thread worker-1\n",
                "                +2 more groups (9 events)\n"
                        + "                412 errors held by silence deploy-42 2026-03-01 14:00:00.000 +08:00 .. "
                        + "2026-03-01 16:00:00.000 +08:00 (reason: deploy [+1 lines])\n");
        // the new line keeps its own details: only the group that has held-back occurrences says so
        assertThat(text.split("held back", -1)).hasSize(2);
    }

    @Test
    void aDigestOfSilenceNotesOnlySaysSoInItsHeader() {
        Digest digest = new Digest(Digest.idOf("pipe", Digest.ALL_PROJECTS, WINDOW), "pipe", Digest.ALL_PROJECTS,
                WINDOW, List.of(), 0, 0, List.of(silenced("shop", 400), silenced("billing", 12)), Optional.empty());

        String text = deliver(digest);

        assertThat(text).startsWith("== (all projects): no errors to show; 412 held by a silence, 2026-03-01 "
                + "18:00:00.000 +08:00 .. 2026-03-01 18:02:00.000 +08:00 ==\n");
        assertThat(text).contains("400 errors of shop held by silence deploy-42", "12 errors of billing held by");
        assertThat(text).doesNotContain("0 groups");
    }

    @Test
    void aCatchUpDigestSaysHowLongLogalertWasDown() {
        TimeWindow backlog = new TimeWindow(Instant.parse("2026-03-01T06:02:00Z"), WINDOW.to());
        TimeWindow gap = new TimeWindow(Instant.parse("2026-03-01T06:02:00Z"), Instant.parse("2026-03-01T06:45:00Z"));
        Digest digest = new Digest(Digest.idOf("pipe", "shop", backlog), "pipe", "shop", backlog,
                List.of(group("order", 18_344, 0, 30)), 26, 1_000, List.of(), Optional.of(gap));

        String text = deliver(digest);

        assertThat(text).startsWith("== shop: logalert was down 2026-03-01 14:02:00.000 +08:00 .. 2026-03-01 "
                + "14:45:00.000 +08:00: 19344 errors in 27 groups, 2026-03-01 14:02:00.000 +08:00 .. 2026-03-01 "
                + "18:02:00.000 +08:00 ==\n");
    }

    @Test
    void aGroupSeenAtOneInstantShowsOneTime() {
        Digest digest = new Digest(Digest.idOf("pipe", "shop", WINDOW), "pipe", "shop", WINDOW,
                List.of(group("order", 1, 5, 5), group("burst", 4, 7, 7)), 0, 0);

        String text = deliver(digest);

        assertThat(text).contains("at 2026-03-01 18:00:05.000 +08:00, thread worker-1",
                "at 2026-03-01 18:00:07.000 +08:00, thread worker-1").doesNotContain("first ", "last ");
    }
}
