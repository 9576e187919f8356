package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
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

    private static Digest markedWithNotes() {
        List<ErrorGroup> groups = List.of(
                group("order", 1000, 0, 30).withMark(Mark.NEW),
                group("payment", 18, 5, 50).withMark(Mark.BACK)
                        .withHeldBack(Optional.of(new HeldBack(312, Instant.parse("2026-03-01T09:05:00Z")))),
                group("stock", 7, 1, 2));
        return new Digest(Digest.idOf("pipe", "shop", WINDOW), "pipe", "shop", WINDOW, groups, 2, 9,
                List.of(silenced("shop", 412)), Optional.empty());
    }

    private String deliver(Digest digest) {
        return deliver(sink, digest);
    }

    private String deliver(ConsoleSink to, Digest digest) {
        List<DeliveryResult> results = to.deliver(List.of(digest));
        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheSharedLayoutWithPatternsSamplesMarksHeldBackAndNotes() {
        String text = deliver(markedWithNotes());

        assertThat(text).isEqualTo("""
                == shop: 1,034 errors ==
                Window: 2026-03-01 18:00:00 – 18:02:00 (+08:00)
                Total: 1,034 errors in 5 groups
                  1. [new] 1,000× order ‹…› failed
                     e.g. order 42 failed
                     seen 18:00:00 – 18:00:30 · thread worker-1
                  2. [back] 18× (+312 since 17:05) payment ‹…› failed
                     e.g. payment 42 failed
                     seen 18:00:05 – 18:00:50 · thread worker-1
                  3. 7× stock ‹…› failed
                     e.g. stock 42 failed
                     seen 18:00:01 – 18:00:02 · thread worker-1
                  +2 more groups (9 errors)
                  412 errors held by a silence 14:00–16:00 (reason: deploy of v2)
                """);
    }

    @Test
    void printsChineseLabelsWhenAskedTo() {
        ConsoleSink chinese = new ConsoleSink(new PrintStream(printed, true, StandardCharsets.UTF_8),
                ZoneId.of("Asia/Shanghai"), Locale.SIMPLIFIED_CHINESE);

        String text = deliver(chinese, markedWithNotes());

        assertThat(text).isEqualTo("""
                == shop：1,034 个错误 ==
                时间窗口：2026-03-01 18:00:00 – 18:02:00 (+08:00)
                合计：1,034 个错误，分 5 类
                  1. [新出现] 1,000× order ‹…› failed
                     示例：order 42 failed
                     出现于 18:00:00 – 18:00:30 · 线程 worker-1
                  2. [再出现] 18× （17:05 以来另有 312 个） payment ‹…› failed
                     示例：payment 42 failed
                     出现于 18:00:05 – 18:00:50 · 线程 worker-1
                  3. 7× stock ‹…› failed
                     示例：stock 42 failed
                     出现于 18:00:01 – 18:00:02 · 线程 worker-1
                  另有 2 类（9 个错误）
                  静默规则 14:00–16:00 屏蔽了 412 个错误（原因：deploy of v2）
                """);
    }

    @Test
    void aStackTraceKeepsItsFirstLinesAsLinesIndentedUnderItsGroup() {
        String trace = "payment failed for order 7\njava.lang.IllegalStateException: declined\n"
                + "\tat com.shop.Pay.charge(Pay.java:88)\n\tat com.shop.Pay.run(Pay.java:12)\n\tat java.lang.Thread.run";
        ErrorGroup group = new ErrorGroup("shop", "k", "payment failed for order <*>", trace, 3,
                WINDOW.from(), WINDOW.from().plusSeconds(9), "");
        String text = deliver(new Digest("id", "pipe", "shop", WINDOW, List.of(group), 0, 0));

        assertThat(text).contains("""
                  1. 3× payment failed for order ‹…›
                     e.g. payment failed for order 7
                        java.lang.IllegalStateException: declined
                        at com.shop.Pay.charge(Pay.java:88)
                        (+2 more lines)
                     seen 18:00:00 – 18:00:09
                """);
    }

    @Test
    void logTextCannotPrintALineOfItsOwnNorSendTerminalEscapes() {
        ErrorGroup group = new ErrorGroup("shop", "k", "boom <*>", "boom 1\n== fake: 0 errors ==\u001b[2J", 2,
                WINDOW.from(), WINDOW.from().plusSeconds(1), "worker\n== forged ==");

        String text = deliver(new Digest("id", "pipe", "shop", WINDOW, List.of(group), 0, 0));

        // every line after the header is ours: a header, a field, an indented group line or a note
        assertThat(text.lines().skip(1)).allSatisfy(line -> assertThat(line).doesNotStartWith("=="));
        assertThat(text).doesNotContain("\u001b").contains("thread worker == forged ==");
    }

    @Test
    void aDigestOfSilenceNotesOnlySaysSoInItsHeader() {
        Digest digest = new Digest(Digest.idOf("pipe", Digest.ALL_PROJECTS, WINDOW), "pipe", Digest.ALL_PROJECTS,
                WINDOW, List.of(), 0, 0, List.of(silenced("shop", 400), silenced("billing", 12)), Optional.empty());

        String text = deliver(digest);

        assertThat(text).startsWith("""
                == (all projects): 0 errors (412 held by a silence) ==
                Window: 2026-03-01 18:00:00 – 18:02:00 (+08:00)
                Total: no errors to show; 412 held by a silence
                """);
        assertThat(text).contains("400 errors of shop held by a silence 14:00–16:00",
                "12 errors of billing held by a silence");
        assertThat(text).doesNotContain("0 groups");
    }

    @Test
    void aCatchUpDigestSaysHowLongLogalertWasDown() {
        TimeWindow backlog = new TimeWindow(Instant.parse("2026-03-01T06:02:00Z"), WINDOW.to());
        TimeWindow gap = new TimeWindow(Instant.parse("2026-03-01T06:02:00Z"), Instant.parse("2026-03-01T06:45:00Z"));
        Digest digest = new Digest(Digest.idOf("pipe", "shop", backlog), "pipe", "shop", backlog,
                List.of(group("order", 18_344, 0, 30)), 26, 1_000, List.of(), Optional.of(gap));

        String text = deliver(digest);

        assertThat(text).startsWith("""
                == shop: 19,344 errors ==
                logalert was down 2026-03-01 14:02:00 – 14:45:00 (+08:00): 19,344 errors in 27 groups
                Window: 2026-03-01 14:02:00 – 18:02:00 (+08:00)
                  1. 18,344×""");
    }

    @Test
    void aGroupSeenAtOneInstantShowsOneTime() {
        Digest digest = new Digest(Digest.idOf("pipe", "shop", WINDOW), "pipe", "shop", WINDOW,
                List.of(group("order", 1, 5, 5), group("burst", 4, 7, 7)), 0, 0);

        String text = deliver(digest);

        assertThat(text).contains("seen 18:00:05 · thread worker-1", "seen 18:00:07 · thread worker-1")
                .doesNotContain(" – 18:00:0");
    }

    @Test
    void aGroupOfEveryProjectSaysWhoseItIs() {
        ErrorGroup billing = new ErrorGroup("billing", "k", "late <*>", "late 3", 2, WINDOW.from(), WINDOW.from(),
                "t");
        Digest digest = new Digest(Digest.idOf("pipe", Digest.ALL_PROJECTS, WINDOW), "pipe", Digest.ALL_PROJECTS,
                WINDOW, List.of(billing), 0, 0);

        assertThat(deliver(digest)).contains("seen 18:00:00 · thread t · project billing");
    }

    @Test
    void aLocaleWithoutLabelsIsRefusedNamingTheSupportedOnes() {
        assertThatThrownBy(() -> new ConsoleSink(System.out, ZoneId.of("UTC"), Locale.FRENCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'fr'")
                .hasMessageContaining("supported: en, zh-CN");
    }
}
