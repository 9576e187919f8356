package io.logalert.source.elasticsearch;

import io.logalert.spi.PluginConfig;
import io.logalert.spi.StateStore;
import io.logalert.testing.StateStoreContract;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state store contract against the real node: each test gets a fresh index, and the second writer shares it.
 * The node has no security; the credentials are configured anyway, so that the contract checks they never show.
 */
class ElasticsearchStateStoreContractIT extends StateStoreContract {

    private static final String PASSWORD = "contract-pw-0451";

    private final ElasticsearchNode node = ElasticsearchNode.shared();
    private String index;

    @Override
    protected StateStore createStore() {
        index = TestIndices.unique(".logalert-state-contract");
        return store();
    }

    @Override
    protected Optional<StateStore> createSecondWriter() {
        return Optional.of(store());
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(PASSWORD);
    }

    private StateStore store() {
        return ElasticsearchStateStore.create(PluginConfig.of(Map.of("hosts", TestIndices.hosts(node),
                "index", index, "username", "logalert", "password", PASSWORD)));
    }
}
