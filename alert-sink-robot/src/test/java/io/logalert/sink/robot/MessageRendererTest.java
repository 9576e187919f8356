package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.Labels;
import io.logalert.TimeWindow;
import io.logalert.sink.robot.MessageRenderer.Detail;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The renderer measures a body once and adds each block's bytes: its limits must hold to the byte. */
class MessageRendererTest {

    private static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));

    // mentions after the text, as DingTalk has them, and a title beside it: the envelope is not just the text
    private final MessageRenderer renderer = new MessageRenderer(new MessageRenderer.Settings(Optional.empty(),
            List.of("alert"), Optional.of("https://kibana.example/?q={project}"), "Open logs", true, ZoneOffset.UTC,
            400, Labels.ENGLISH, Markups.dingTalkMarkdown()),
            draft -> JsonBodies.write(Map.of("title", draft.title(),
                    "text", draft.text() + (draft.first() ? "\n\n@ops" : ""))));

    private static Digest digest(String project, int groups) {
        List<ErrorGroup> list = IntStream.range(0, groups).mapToObj(i -> new ErrorGroup(project, project + i,
                "failure <*> in " + project, "failure " + i + " in 店铺 " + project + " \"quoted\" \\ \u0001",
                100 - i, WINDOW.from(), WINDOW.to(), "worker-" + i)).toList();
        return new Digest(Digest.idOf("pipe", project, WINDOW), "pipe", project, WINDOW, list, 0, 0);
    }

    @Test
    void aDigestIsOneMessageJustBelowItsSizeAndTwoAtIt() {
        Digest digest = digest("shop", 7);
        int size = renderer.parts(0, digest, 100_000, Detail.FULL).get(0).body().length;
        // the widest part label, "(99/99)", is measured while parts are filled; the title is in the body twice
        int room = 2 * " (99/99)".length();

        assertThat(renderer.parts(0, digest, size + room + 1, Detail.FULL)).hasSize(1);
        assertThat(renderer.parts(0, digest, size + room, Detail.FULL)).hasSize(2);
    }

    @Test
    void everyPartStaysBelowTheLimitAndTheGroupsKeepTheirOrder() {
        Digest digest = digest("shop", 40);

        for (int limit : new int[] {2_000, 3_333, 8_000}) {
            List<OutgoingMessage> parts = renderer.parts(0, digest, limit, Detail.FULL);
            List<Integer> seen = new ArrayList<>();
            for (OutgoingMessage part : parts) {
                assertThat(part.body().length).isLessThan(limit);
                String text = JsonBodies.text(part.body());
                IntStream.range(0, 40).filter(i -> text.contains("failure " + i + " in ")).forEach(seen::add);
            }
            assertThat(seen).as("limit %d", limit).isEqualTo(IntStream.range(0, 40).boxed().toList());
        }
    }

    @Test
    void aPackHoldsDigestsWhileItsWholeBodyStaysBelowTheLimit() {
        List<Digest> digests = IntStream.range(0, 6).mapToObj(i -> digest("p" + i, 3)).toList();
        List<Integer> indices = IntStream.range(0, 6).boxed().toList();
        int size = renderer.packed(indices, digests, 100_000).orElseThrow().body().length;

        assertThat(renderer.packed(indices, digests, size + 1)).get()
                .satisfies(m -> assertThat(m.body()).hasSize(size));
        assertThat(renderer.packed(indices, digests, size)).isEmpty();
    }

    @Test
    void aPackerStartsWithTheDigestsOwnMessageAndTakesOthersWhileTheyFit() {
        List<Digest> digests = IntStream.range(0, 3).mapToObj(i -> digest("p" + i, 2)).toList();
        OutgoingMessage alone = renderer.parts(0, digests.get(0), 20_000, Detail.COMPACT).get(0);

        MessageRenderer.Packer packer = renderer.packer(20_000, 0, digests.get(0), alone);
        assertThat(packer.message()).isSameAs(alone);
        assertThat(packer.add(1, digests.get(1))).isTrue();
        assertThat(packer.add(2, digests.get(2))).isTrue();

        assertThat(packer.indices()).containsExactly(0, 1, 2);
        assertThat(packer.message().body())
                .isEqualTo(renderer.packed(List.of(0, 1, 2), digests, 20_000).orElseThrow().body());
        MessageRenderer.Packer small = renderer.packer(alone.body().length + 10, 0, digests.get(0), alone);
        assertThat(small.add(1, digests.get(1))).isFalse();
        assertThat(small.indices()).containsExactly(0);
    }
}
