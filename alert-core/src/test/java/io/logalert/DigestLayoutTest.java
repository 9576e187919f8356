package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.DigestLayout.Group;
import io.logalert.DigestLayout.Kind;
import io.logalert.DigestLayout.Span;
import io.logalert.DigestLayout.Text;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestLayoutTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-11-20T03:05:00Z"), Instant.parse("2026-11-20T03:20:00Z"));

    /** The example: 13,604 timeouts of many orders, which once read as one order failing 13,604 times. */
    private static ErrorGroup timeouts() {
        return new ErrorGroup("checkout", "k1", "Upstream timeout calling inventory uri=<*>, cost=<*>",
                "Upstream timeout calling inventory uri=/api/v1/orders/O20261120396853744, cost=5161ms", 13_604,
                Instant.parse("2026-11-20T03:08:00Z"), Instant.parse("2026-11-20T03:19:59Z"), "http-nio-8080-exec-7");
    }

    private static Digest digest(ErrorGroup... groups) {
        return new Digest(Digest.idOf("pipe", "checkout", WINDOW), "pipe", "checkout", WINDOW, List.of(groups), 0, 0);
    }

    private static Group only(DigestLayout layout) {
        assertThat(layout.groups()).hasSize(1);
        return layout.groups().get(0);
    }

    @Test
    void aGroupShowsItsPatternWithMarkedVariablesAndOneRealSampleBeneath() {
        DigestLayout layout = DigestLayout.of(digest(timeouts()), SHANGHAI, Locale.ENGLISH);
        Group group = only(layout);

        assertThat(layout.title().plain()).isEqualTo("checkout: 13,604 errors");
        assertThat(group.countText()).isEqualTo("13,604×");
        assertThat(group.pattern().plain()).isEqualTo("Upstream timeout calling inventory uri=‹…›, cost=‹…›");
        assertThat(group.pattern().spans()).extracting(Span::kind)
                .containsExactly(Kind.LOG, Kind.VARIABLE, Kind.LOG, Kind.VARIABLE);
        // the order number is in the sample, never in the pattern: the count is of the kind, not of one order
        assertThat(group.sample())
                .containsExactly("Upstream timeout calling inventory uri=/api/v1/orders/O20261120396853744, cost=5161ms");
        assertThat(group.pattern().plain()).doesNotContain("O20261120396853744");
        assertThat(group.continues()).isFalse();
        assertThat(group.details().plain()).isEqualTo("seen 11:08:00 – 11:19:59 · thread http-nio-8080-exec-7");
        assertThat(layout.window()).isEqualTo("2026-11-20 11:05:00 – 11:20:00 (+08:00)");
        assertThat(layout.totals()).contains("13,604 errors in 1 group");
    }

    @Test
    void aLateDigestSaysItsRecordsWereIndexedAfterTheWindowWasRead() {
        Digest late = new Digest("id/late-1", "pipe", "checkout", WINDOW, List.of(timeouts()), 0, 0, List.of(),
                Optional.empty(), List.of(), true);

        DigestLayout english = DigestLayout.of(late, SHANGHAI, Locale.ENGLISH);
        assertThat(english.title().plain()).isEqualTo("checkout: 13,604 errors found late");
        assertThat(english.totals()).hasValueSatisfying(t -> assertThat(t).contains("after this window was read"));
        assertThat(DigestLayout.of(late, SHANGHAI, Locale.SIMPLIFIED_CHINESE).title().plain())
                .isEqualTo("checkout：迟到的 13,604 个错误");
    }

    @Test
    void chineseLabelsSayTheSameParts() {
        ErrorGroup group = timeouts().withMark(Mark.NEW)
                .withHeldBack(Optional.of(new HeldBack(312, Instant.parse("2026-11-20T02:05:00Z"))));
        Digest digest = new Digest("id", "pipe", "checkout", WINDOW, List.of(group), 3, 17);

        DigestLayout layout = DigestLayout.of(digest, SHANGHAI, Locale.SIMPLIFIED_CHINESE);

        assertThat(layout.title().plain()).isEqualTo("checkout：13,621 个错误");
        assertThat(layout.totals()).contains("13,621 个错误，分 4 类");
        assertThat(layout.labels().mark(Mark.NEW)).isEqualTo("新出现");
        assertThat(layout.labels().mark(Mark.BACK)).isEqualTo("再出现");
        assertThat(only(layout).heldBack()).contains("（10:05 以来另有 312 个）");
        assertThat(only(layout).pattern().plain()).isEqualTo("Upstream timeout calling inventory uri=‹…›, cost=‹…›");
        assertThat(only(layout).details().plain()).isEqualTo("出现于 11:08:00 – 11:19:59 · 线程 http-nio-8080-exec-7");
        assertThat(layout.omitted()).contains("另有 3 类（17 个错误）");
        assertThat(layout.labels().sample(Text.log("x")).plain()).isEqualTo("示例：x");
    }

    @Test
    void aStackTraceKeepsItsFirstThreeLinesAsLinesAndCountsTheRest() {
        String trace = "java.lang.IllegalStateException: card declined\n"
                + "\tat com.shop.pay.Gateway.charge(Gateway.java:88)\r\n"
                + "\tat com.shop.pay.Service.pay(Service.java:41)\n"
                + "\tat com.shop.web.Checkout.submit(Checkout.java:120)\n"
                + "\tat java.base/java.lang.Thread.run(Thread.java:833)\n";
        ErrorGroup group = new ErrorGroup("checkout", "k", "java.lang.IllegalStateException: card <*>", trace, 5,
                WINDOW.from(), WINDOW.from().plusSeconds(1), "t");

        Group laid = only(DigestLayout.of(digest(group), ZoneOffset.UTC, Labels.ENGLISH));

        assertThat(laid.sample()).containsExactly("java.lang.IllegalStateException: card declined",
                "at com.shop.pay.Gateway.charge(Gateway.java:88)", "at com.shop.pay.Service.pay(Service.java:41)");
        assertThat(laid.moreLines()).isEqualTo(2);
        assertThat(Labels.ENGLISH.moreLines(laid.moreLines())).isEqualTo("(+2 more lines)");
    }

    @Test
    void aSampleLineThatIsThePatternIsNotRepeated() {
        String trace = "Cache warm-up failed\n\tat com.shop.Cache.warm(Cache.java:10)";
        ErrorGroup multi = new ErrorGroup("checkout", "a", "Cache warm-up failed", trace, 2, WINDOW.from(),
                WINDOW.from(), "t");
        ErrorGroup single = new ErrorGroup("checkout", "b", "Disk full", "Disk full", 2, WINDOW.from(),
                WINDOW.from(), "t");

        DigestLayout layout = DigestLayout.of(digest(multi, single), ZoneOffset.UTC, Labels.ENGLISH);

        assertThat(layout.groups().get(0).sample()).containsExactly("at com.shop.Cache.warm(Cache.java:10)");
        assertThat(layout.groups().get(0).continues()).as("the frame continues the pattern, it is no sample").isTrue();
        assertThat(layout.groups().get(1).sample()).isEmpty();
        assertThat(layout.groups().get(1).pattern().plain()).isEqualTo("Disk full");
    }

    @Test
    void aGroupAtOneInstantShowsOneTime() {
        Instant at = Instant.parse("2026-11-20T03:08:00Z");
        ErrorGroup one = new ErrorGroup("checkout", "one", "one <*>", "one 1", 1, at, at, "");
        ErrorGroup burst = new ErrorGroup("checkout", "burst", "burst <*>", "burst 5", 5, at, at, "");

        DigestLayout layout = DigestLayout.of(digest(one, burst), ZoneOffset.UTC, Labels.ENGLISH);

        assertThat(layout.groups()).extracting(Group::seen).containsExactly("03:08:00", "03:08:00");
        assertThat(layout.groups().get(0).details().plain()).isEqualTo("seen 03:08:00");
    }

    @Test
    void timesShowTheirDateOnlyWhenItIsNotTheWindowsDay() {
        // 15:59 UTC on the 19th is 23:59 in Shanghai, the evening before the window's day there
        ErrorGroup group = new ErrorGroup("checkout", "k", "late <*>", "late 1", 2,
                Instant.parse("2026-11-19T15:59:00Z"), Instant.parse("2026-11-20T03:10:00Z"), "")
                .withHeldBack(Optional.of(new HeldBack(4_500, Instant.parse("2026-11-19T15:30:00Z"))));
        Silenced night = new Silenced("s", "batch", "checkout", 12, Instant.parse("2026-11-19T14:00:00Z"),
                Instant.parse("2026-11-19T23:00:00Z"));
        Digest digest = new Digest("id", "pipe", "checkout", WINDOW, List.of(group), 0, 0, List.of(night),
                Optional.empty());

        DigestLayout layout = DigestLayout.of(digest, SHANGHAI, Labels.ENGLISH);

        assertThat(only(layout).seen()).isEqualTo("2026-11-19 23:59:00 – 2026-11-20 11:10:00");
        assertThat(only(layout).heldBack()).contains("(+4,500 since 2026-11-19 23:30)");
        assertThat(layout.silenced()).extracting(Text::plain)
                .containsExactly("12 errors held by a silence 2026-11-19 22:00–2026-11-20 07:00 (reason: batch)");
    }

    @Test
    void logTextIsMarkedAsSuchSoThatSinksCanEscapeIt() {
        Silenced deploy = new Silenced("s", "deploy [v2]", "billing", 1, WINDOW.from(), WINDOW.to());
        Digest digest = new Digest("id", "pipe", Digest.ALL_PROJECTS, WINDOW, List.of(timeouts()), 0, 0,
                List.of(deploy), Optional.empty());

        DigestLayout layout = DigestLayout.of(digest, ZoneOffset.UTC, Labels.ENGLISH);

        assertThat(layout.project().spans()).extracting(Span::kind).containsOnly(Kind.WORDS);
        assertThat(layout.title().plain()).isEqualTo("(all projects): 13,604 errors");
        assertThat(only(layout).details().render(t -> "<" + t + ">", v -> v))
                .isEqualTo("seen 03:08:00 – 03:19:59 · thread <http-nio-8080-exec-7> · project <checkout>");
        assertThat(layout.silenced().get(0).render(t -> "<" + t + ">", v -> v))
                .isEqualTo("1 error of <billing> held by a silence 03:05–03:20 (reason: <deploy [v2]>)");
        assertThat(DigestLayout.of(digest(timeouts()), ZoneOffset.UTC, Labels.ENGLISH).title()
                .render(t -> "<" + t + ">", v -> v)).isEqualTo("<checkout>: 13,604 errors");
    }

    @Test
    void adjacentVariablesReadAsOne() {
        ErrorGroup group = new ErrorGroup("checkout", "k", "id <*><*> and <*> <*>", "id 1a and 2 3", 2,
                WINDOW.from(), WINDOW.from(), "");

        assertThat(only(DigestLayout.of(digest(group), ZoneOffset.UTC, Labels.ENGLISH)).pattern().plain())
                .isEqualTo("id ‹…› and ‹…› ‹…›");
    }

    @Test
    void aDigestOfSilenceNotesOnlyAndACatchUpSayWhyTheyExist() {
        Silenced deploy = new Silenced("s", "deploy", "checkout", 412, WINDOW.from(), WINDOW.to());
        Digest notes = new Digest("id", "pipe", "checkout", WINDOW, List.of(), 0, 0, List.of(deploy),
                Optional.empty());
        TimeWindow gap = new TimeWindow(Instant.parse("2026-11-20T01:00:00Z"), Instant.parse("2026-11-20T02:00:00Z"));
        Digest catchUp = new Digest("id", "pipe", "checkout", WINDOW, List.of(timeouts()), 0, 0, List.of(),
                Optional.of(gap));

        DigestLayout silenced = DigestLayout.of(notes, ZoneOffset.UTC, Labels.ENGLISH);
        DigestLayout behind = DigestLayout.of(catchUp, ZoneOffset.UTC, Labels.SIMPLIFIED_CHINESE);

        assertThat(silenced.titleNote()).contains("412 held by a silence");
        assertThat(silenced.totals()).contains("no errors to show; 412 held by a silence");
        assertThat(behind.catchUp()).contains("2026-11-20 01:00:00 – 02:00:00 (+00:00)：13,604 个错误，分 1 类");
        assertThat(behind.totals()).as("said in the catch-up line").isEmpty();
        assertThat(behind.labels().down()).isEqualTo("logalert 停机期间");
    }

    @Test
    void anUnknownLocaleIsRefusedWithTheAllowedValues() {
        assertThatThrownBy(() -> DigestLayout.of(digest(timeouts()), ZoneOffset.UTC, Locale.FRENCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no labels for locale 'fr'; supported: en, zh-CN");
        assertThatThrownBy(() -> Labels.of(Locale.TRADITIONAL_CHINESE))
                .hasMessageContaining("'zh-TW'").hasMessageContaining("supported: en, zh-CN");
    }
}
