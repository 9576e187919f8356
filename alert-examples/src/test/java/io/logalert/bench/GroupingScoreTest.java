package io.logalert.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupingScoreTest {

    @Test
    void scoresAPerfectGroupingAsOneWhateverTheLabels() {
        GroupingScore score = GroupingScore.of(List.of("E1", "E1", "E2"), List.of("x", "x", "y"));
        assertThat(score.ga()).isEqualTo(1.0);
        assertThat(score.fga()).isEqualTo(1.0);
    }

    @Test
    void countsNoLineOfATrueGroupSplitAcrossPredictedGroups() {
        // E1 split in two: its 2 lines are wrong; E2 is exact
        GroupingScore score = GroupingScore.of(List.of("E1", "E1", "E2", "E2", "E2"),
                List.of("a", "b", "c", "c", "c"));
        assertThat(score.ga()).isEqualTo(3.0 / 5);
        assertThat(score.correctGroups()).isEqualTo(1);
        assertThat(score.predictedGroups()).isEqualTo(3);
    }

    @Test
    void countsNoLineOfTrueGroupsMergedIntoOnePredictedGroup() {
        // E1 and E2 merged: neither is exact; E3 is
        GroupingScore score = GroupingScore.of(List.of("E1", "E2", "E2", "E3"), List.of("a", "a", "a", "b"));
        assertThat(score.ga()).isEqualTo(1.0 / 4);
        assertThat(score.precision()).isEqualTo(1.0 / 2);
        assertThat(score.recall()).isEqualTo(1.0 / 3);
        assertThat(score.fga()).isCloseTo(2 * (0.5 / 3) / (0.5 + 1.0 / 3), within(1e-12));
    }

    @Test
    void scoresAGroupingOfEveryLineAloneByItsSingletons() {
        GroupingScore score = GroupingScore.of(List.of("E1", "E1", "E2"), List.of("a", "b", "c"));
        assertThat(score.ga()).isEqualTo(1.0 / 3);
        assertThat(score.fga()).isCloseTo(2 * (1.0 / 3) * (1.0 / 2) / (1.0 / 3 + 1.0 / 2), within(1e-12));
    }

    @Test
    void scoresFgaZeroWhenNoGroupIsCorrect() {
        GroupingScore score = GroupingScore.of(List.of("E1", "E2"), List.of("a", "a"));
        assertThat(score.ga()).isZero();
        assertThat(score.fga()).isZero();
    }

    @Test
    void rejectsPredictionsOfAnotherLength() {
        assertThatThrownBy(() -> GroupingScore.of(List.of("E1"), List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1").hasMessageContaining("2");
    }
}
