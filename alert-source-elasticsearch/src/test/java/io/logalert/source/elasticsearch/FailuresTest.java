package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.ShardStatistics;
import io.logalert.spi.SourceUnavailableException;
import org.junit.jupiter.api.Test;

/** The guard against partial answers; {@code ElasticsearchLogSourceIT} feeds it a real partial answer too. */
class FailuresTest {

    private final Failures failures = new Failures("elasticsearch[http://es:9200]", "http://es:9200", "anonymous");

    @Test
    void anAnswerFromEveryShardIsComplete() {
        ShardStatistics all = ShardStatistics.of(s -> s.total(3).successful(2).skipped(1).failed(0));

        assertThatCode(() -> failures.requireComplete("read a page of documents", all, false))
                .doesNotThrowAnyException();
    }

    @Test
    void aTimedOutAnswerIsRefusedAsUnavailable() {
        ShardStatistics all = ShardStatistics.of(s -> s.total(2).successful(2).failed(0));

        assertThatThrownBy(() -> failures.requireComplete("read a page of documents", all, true))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("could not read a page of documents completely: the search timed out")
                .hasMessageContaining("not counted from partial results");
    }
}
