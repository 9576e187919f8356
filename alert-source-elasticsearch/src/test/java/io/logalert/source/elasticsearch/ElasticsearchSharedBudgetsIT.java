package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.SharedBudgets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A robot's budget shared by several processes through the state index, on the real node. */
class ElasticsearchSharedBudgetsIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ElasticsearchNode node = ElasticsearchNode.shared();
    private final String index = TestIndices.unique(".logalert-state-budget-it");
    private final List<ElasticsearchStateStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(ElasticsearchStateStore::close);
    }

    private SharedBudgets budgets() {
        ElasticsearchStateStore store = ElasticsearchStateStore.create(PluginConfig.of(Map.of(
                "hosts", TestIndices.hosts(node), "index", index)));
        stores.add(store);
        return store.budgets().orElseThrow();
    }

    @Test
    void writersRacingForOneBudgetNeverTakeMoreThanItsLimit() throws Exception {
        // four processes (four stores), two threads each, all asking for slots at once
        List<SharedBudgets> processes = List.of(budgets(), budgets(), budgets(), budgets());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> taken = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                SharedBudgets budgets = processes.get(t % processes.size());
                Callable<Integer> asks = () -> {
                    start.await();
                    int granted = 0;
                    for (int i = 0; i < 6; i++) {
                        if (budgets.take("robot-a", 20, MINUTE, T0.plusMillis(i)).isEmpty()) {
                            granted++;
                        }
                    }
                    return granted;
                };
                taken.add(threads.submit(asks));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : taken) {
                total += f.get();
            }
            assertThat(total).isEqualTo(20);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFullBudgetSaysWhenASlotFreesAndFreesItThen() {
        SharedBudgets first = budgets();
        SharedBudgets second = budgets();
        for (int i = 0; i < 3; i++) {
            assertThat(first.take("robot-b", 3, MINUTE, T0.plusSeconds(i))).isEmpty();
        }
        Optional<Instant> full = second.take("robot-b", 3, MINUTE, T0.plusSeconds(10));
        assertThat(full).contains(T0.plus(MINUTE));
        assertThat(second.take("robot-c", 3, MINUTE, T0.plusSeconds(10))).as("another robot").isEmpty();
        assertThat(second.take("robot-b", 3, MINUTE, T0.plus(MINUTE).plusMillis(1))).isEmpty();
    }

    @Test
    void budgetsLiveBesidePipelineStatesWithoutTouchingThem() {
        ElasticsearchStateStore store = ElasticsearchStateStore.create(PluginConfig.of(Map.of(
                "hosts", TestIndices.hosts(node), "index", index)));
        stores.add(store);
        store.save(PipelineState.initial("robot-b", T0));
        store.budgets().orElseThrow().take("robot-b", 3, MINUTE, T0);
        assertThat(store.load("robot-b")).contains(PipelineState.initial("robot-b", T0));
    }
}
