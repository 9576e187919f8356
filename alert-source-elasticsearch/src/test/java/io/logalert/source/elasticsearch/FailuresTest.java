package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.elasticsearch._types.ShardStatistics;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import io.logalert.spi.SourceUnavailableException;
import java.io.IOException;
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

    @Test
    void indexNotFoundNamesTheMissingIndexAndOtherFailuresDoNot() {
        ElasticsearchException notFound = new ElasticsearchException("field_caps", ErrorResponse.of(r -> r.status(404)
                .error(e -> e.type("index_not_found_exception").reason("no such index [app-prod]")
                        .metadata("index", JsonData.of("app-prod", new JacksonJsonpMapper())))));
        ElasticsearchException refused = new ElasticsearchException("field_caps", ErrorResponse.of(r -> r.status(400)
                .error(e -> e.type("illegal_argument_exception").reason("bad"))));

        assertThat(Failures.missingIndex(notFound)).contains("app-prod");
        assertThat(Failures.missingIndex(new IllegalStateException("wrapped", notFound))).contains("app-prod");
        assertThat(Failures.missingIndex(refused)).isEmpty();
        assertThat(Failures.missingIndex(new IOException("connection refused"))).isEmpty();
    }
}
