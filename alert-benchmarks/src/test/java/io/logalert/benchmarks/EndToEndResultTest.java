package io.logalert.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The medians of one variant's measured runs, as the end-to-end table prints them. */
class EndToEndResultTest {

    @Test
    void anEvenNumberOfRunsHasTheMeanOfTheTwoMiddleValuesAsItsMedian() {
        EndToEnd.Result result = result(List.of(4.0, 1.0, 3.0, 2.0), List.of(cost(4_000), cost(1_000), cost(3_000),
                cost(2_000)));

        assertThat(result.median()).isEqualTo(2.5);
        assertThat(result.medianCpu()).isEqualTo(2.5);
    }

    @Test
    void anOddNumberOfRunsHasItsMiddleValueAsItsMedian() {
        EndToEnd.Result result = result(List.of(5.0, 1.0, 3.0), List.of(cost(5_000), cost(1_000), cost(3_000)));

        assertThat(result.median()).isEqualTo(3.0);
        assertThat(result.medianCpu()).isEqualTo(3.0);
    }

    @Test
    void withoutMeasuredRunsTheMediansAreNotANumber() {
        EndToEnd.Result result = result(List.of(), List.of());

        assertThat(result.median()).isNaN();
        assertThat(result.medianCpu()).isNaN();
    }

    private static EndToEnd.Result result(List<Double> seconds, List<NodeCost.Cost> costs) {
        return new EndToEnd.Result("ids", "c", "pipeline, stream mode", seconds, List.of(), 0, 0, true, "exact",
                costs);
    }

    private static NodeCost.Cost cost(long cpuMillis) {
        return new NodeCost.Cost(cpuMillis, 0, 0, 0, 0, "");
    }
}
