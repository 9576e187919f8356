package io.logalert.testing;

import io.logalert.InMemoryStateStore;
import io.logalert.spi.StateStore;

class InMemoryStateStoreContractTest extends StateStoreContract {

    @Override
    protected StateStore createStore() {
        return new InMemoryStateStore();
    }
}
