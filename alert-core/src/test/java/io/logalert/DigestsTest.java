package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestsTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T, T.plusSeconds(60));

    private static ErrorGroup group(String project, String key, long count, String message) {
        return new ErrorGroup(project, key, message, message, count, T, T.plusSeconds(1), "main");
    }

    @Test
    void onePerProjectBusiestFirstGroupsByCountDescending() {
        List<Digest> digests = Digests.build("p", WINDOW, new ArrayList<>(List.of(
                group("a", "a1", 5, "x"), group("b", "b1", 50, "y"), group("a", "a2", 9, "z"))),
                DigestOptions.DEFAULTS);

        assertThat(digests).extracting(Digest::project).containsExactly("b", "a");
        assertThat(digests.get(1).groups()).extracting(ErrorGroup::key).containsExactly("a2", "a1");
        assertThat(digests.get(1).id()).isEqualTo("p/a/" + T.toEpochMilli() + "-" + T.plusSeconds(60).toEpochMilli());
    }

    @Test
    void beyondMaxGroupsTheRestIsSummedUp() {
        List<ErrorGroup> groups = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            groups.add(group("a", "k" + i, i, "m" + i));
        }
        Digest digest = Digests.build("p", WINDOW, groups, DigestOptions.DEFAULTS.maxGroups(20)).get(0);

        assertThat(digest.groups()).hasSize(20);
        assertThat(digest.groups().get(0).count()).isEqualTo(25);
        assertThat(digest.omittedGroups()).isEqualTo(5);
        assertThat(digest.omittedEvents()).isEqualTo(1 + 2 + 3 + 4 + 5);
        assertThat(digest.totalEvents()).isEqualTo(25 * 26 / 2);
        assertThat(digest.totalGroups()).isEqualTo(25);
    }

    @Test
    void oneDigestForAllProjectsWhenAsked() {
        List<Digest> digests = Digests.build("p", WINDOW, new ArrayList<>(List.of(
                group("a", "a1", 5, "x"), group("b", "b1", 50, "y"))), DigestOptions.DEFAULTS.perProject(false));

        assertThat(digests).singleElement().satisfies(d -> {
            assertThat(d.project()).isEqualTo(Digest.ALL_PROJECTS);
            assertThat(d.groups()).extracting(ErrorGroup::project).containsExactly("b", "a");
        });
    }

    @Test
    void longMessagesAreCutWithoutSplittingASurrogatePair() {
        String emoji = "🚨";
        String message = "x".repeat(14) + emoji + "y".repeat(100);
        ErrorGroup cut = Digests.build("p", WINDOW, new ArrayList<>(List.of(group("a", "k", 1, message))),
                DigestOptions.DEFAULTS.maxMessageLength(16)).get(0).groups().get(0);

        assertThat(cut.sampleMessage()).isEqualTo("x".repeat(14) + "…");
        assertThat(Digests.truncate("short", 16)).isEqualTo("short");
        assertThat(Digests.truncate("y".repeat(20), 16)).hasSize(16).endsWith("…");
    }

    @Test
    void optionsRejectNonsenseNamingEveryValue() {
        assertThatThrownBy(() -> new DigestOptions(true, 0, 3))
                .hasMessageContaining("maxGroups must be at least 1, was 0")
                .hasMessageContaining("maxMessageLength must be at least 16, was 3");
    }
}
