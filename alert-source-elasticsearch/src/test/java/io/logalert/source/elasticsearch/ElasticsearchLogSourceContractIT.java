package io.logalert.source.elasticsearch;

import io.logalert.LogEvent;
import io.logalert.spi.LogSource;
import io.logalert.testing.LogSourceContract;
import java.util.List;
import java.util.Map;

/** The source contract, read by streaming, against the real node. */
class ElasticsearchLogSourceContractIT extends LogSourceContract {

    @Override
    protected LogSource createSource(List<LogEvent> events) {
        ElasticsearchNode node = ElasticsearchNode.shared();
        String index = TestIndices.unique("contract-stream");
        TestIndices.load(node, index, events);
        return TestIndices.source(node, index, Map.of("mode", "stream"));
    }
}
