package io.logalert.testing;

import io.logalert.FileStateStore;
import io.logalert.spi.StateStore;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreContractTest extends StateStoreContract {

    @TempDir
    Path directory;

    @Override
    protected StateStore createStore() {
        return new FileStateStore(directory.resolve("state"));
    }

    @Override
    protected Optional<StateStore> createSecondWriter() {
        return Optional.of(new FileStateStore(directory.resolve("state")));
    }
}
