package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import java.io.IOException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static DigestRenderer renderer(MessageType type, ZoneId zone, int maxMessageLength) {
        return new DigestRenderer(new DigestRenderer.Settings(type, DingTalkSink.DEFAULT_TITLE, List.of("alert"),
                List.of("13800138000"), List.of("ops01"), false,
                Optional.of("https://kibana.example/app/discover#/?from={from}&to={to}&q={project}"), "Open logs",
                zone, maxMessageLength));
    }

    private static String text(OutgoingMessage message) throws IOException {
        JsonNode body = JSON.readTree(message.body());
        String type = body.path("msgtype").asText();
        return type.equals("text") ? body.path("text").path("content").asText() : body.path(type).path("text").asText();
    }

    @Test
    void hostileLogTextCannotMakeLinksImagesHeadingsHtmlOrMentions() throws IOException {
        String hostile = "[x](http://evil) ![](http://x/p.png)\n# title <b>bold</b> @all @13800138000 `code`";
        Digest digest = Digests.withMessage("shop", hostile);

        String markdown = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400).split(0, digest, 20_000, false)
                .get(0));

        String entry = markdown.lines().filter(l -> l.contains("title")).findFirst().orElseThrow();
        assertThat(entry).doesNotContain("[", "](", "![", "http://", "<b>", "# title", "@all", "`")
                .contains("［x］(http:∕∕evil)", "！［］(http:∕∕x/p.png)", "＃ title", "＜b＞bold＜/b＞", "＠all");
        // the only '@' left are the configured mentions, in the footer
        assertThat(markdown.split("@", -1)).hasSize(3);
        assertThat(markdown).endsWith("@13800138000 @ops01");

        String plain = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400).split(0, digest, 20_000, false).get(0));
        assertThat(plain).doesNotContain("@all", "http://").contains("＠all");
    }

    @Test
    void timesAreShownInTheConfiguredZoneWithTheirOffset() throws IOException {
        Digest digest = Digests.of("shop", 1);

        String shanghai = text(renderer(MessageType.MARKDOWN, ZoneId.of("Asia/Shanghai"), 400)
                .split(0, digest, 20_000, false).get(0));
        String utc = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400).split(0, digest, 20_000, false).get(0));

        assertThat(shanghai).contains("2026-03-01 18:00:00 – 18:02:00 (+08:00)");
        assertThat(utc).contains("2026-03-01 10:00:00 – 10:02:00 (+00:00)");
    }

    @Test
    void markdownShowsCountsFirstLastSeenThreadAndLink() throws IOException {
        OutgoingMessage message = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400)
                .split(0, Digests.of("shop", 2), 20_000, false).get(0);
        JsonNode body = JSON.readTree(message.body());

        assertThat(body.path("markdown").path("title").asText()).isEqualTo("alert shop: 1,999 errors");
        assertThat(text(message)).startsWith("#### alert shop: 1,999 errors")
                .contains("**Total** 1,999 errors in 2 groups", "**1,000×**", "thread worker-0",
                        "seen 2026-03-01 10:00:00 – 10:00:30 (+00:00)",
                        "(https://kibana.example/app/discover#/?from=2026-03-01T10%3A00%3A00Z"
                                + "&to=2026-03-01T10%3A02%3A00Z&q=shop)");
        assertThat(body.path("at").path("atMobiles").get(0).asText()).isEqualTo("13800138000");
        assertThat(body.path("at").path("atUserIds").get(0).asText()).isEqualTo("ops01");
    }

    @Test
    void sampleMessagesAreTruncatedAtTheConfiguredLength() throws IOException {
        Digest digest = Digests.withMessage("shop", "y".repeat(500));

        String text = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 50).split(0, digest, 20_000, false).get(0));

        assertThat(text).contains("y".repeat(49) + "…").doesNotContain("y".repeat(50));
    }

    @Test
    void aLongDigestIsSplitIntoNumberedPartsThatLoseNoGroup() throws IOException {
        Digest digest = Digests.of("shop", 60, 400);
        List<OutgoingMessage> parts = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400)
                .split(0, digest, 8_000, false);

        assertThat(parts).hasSizeGreaterThan(2);
        for (int i = 0; i < parts.size(); i++) {
            OutgoingMessage part = parts.get(i);
            assertThat(part.body().length).isLessThan(8_000);
            assertThat(part.title()).endsWith("(" + (i + 1) + "/" + parts.size() + ")");
            assertThat(text(part)).contains("alert");
            assertThat(JSON.readTree(part.body()).has("at")).isEqualTo(i == 0);
        }
        String all = String.join("\n", parts.stream().map(p -> {
            try {
                return text(p);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList());
        for (ErrorGroup group : digest.groups()) {
            assertThat(all).contains("failure " + group.key() + " ");
        }
    }

    @Test
    void aGroupTooBigForOneBodyIsCutNotLost() {
        Digest digest = Digests.withMessage("shop", "支付失败".repeat(5_000));

        List<OutgoingMessage> parts = renderer(MessageType.TEXT, ZoneOffset.UTC, 10_000).split(0, digest, 4_000, false);

        assertThat(parts).singleElement().satisfies(p -> assertThat(p.body().length).isLessThan(4_000));
    }

    @Test
    void packedDigestsEachKeepTheirProjectAndGroups() throws IOException {
        List<Digest> digests = List.of(Digests.of("shop", 3), Digests.of("billing", 2), Digests.of("search", 1));

        OutgoingMessage packed = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400)
                .pack(List.of(0, 1, 2), digests, 20_000).orElseThrow();

        assertThat(packed.digests()).containsExactly(0, 1, 2);
        assertThat(packed.title()).isEqualTo("alert shop, billing, search: 5,996 errors");
        assertThat(text(packed)).contains("##### shop", "##### billing", "##### search", "failure shop/g2",
                "failure billing/g1", "failure search/g0");
    }

    @Test
    void actionCardHasAButtonToTheWindow() throws IOException {
        DigestRenderer cards = new DigestRenderer(new DigestRenderer.Settings(MessageType.ACTION_CARD,
                "alert {project}", List.of("alert"), List.of(), List.of(), false,
                Optional.of("https://kibana.example/?p={project}&from={from-millis}"), "Discover", ZoneOffset.UTC,
                400));

        JsonNode card = JSON.readTree(cards.split(0, Digests.of("a b", 1), 20_000, false).get(0).body())
                .path("actionCard");

        assertThat(card.path("singleTitle").asText()).isEqualTo("Discover");
        assertThat(card.path("singleURL").asText()).isEqualTo("https://kibana.example/?p=a+b&from=1772359200000");
    }
}
