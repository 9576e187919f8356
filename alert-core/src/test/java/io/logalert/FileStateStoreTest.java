package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.logalert.spi.ConfigException;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import io.logalert.spi.StateCodec;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreException;
import io.logalert.spi.StateStoreProvider;
import io.logalert.testing.StateStoreContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileStateStoreTest {

    private static final Instant T0 = StateStoreContract.T0;

    @TempDir
    Path temp;

    private Path directory() {
        return temp.resolve("state");
    }

    private static List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void keepsOneJsonFilePerPipelineAndNothingElseAfterSaves() throws IOException {
        try (FileStateStore store = new FileStateStore(directory())) {
            for (int i = 0; i < 5; i++) {
                store.save(StateStoreContract.fullState("orders").withCheckpoint(T0.plusSeconds(i)));
                store.save(PipelineState.initial("billing.eu_1-b", T0.plusSeconds(i)));
            }

            // No temporary file is left beside the state files: each save renamed its own over the old one.
            assertThat(namesIn(directory())).containsExactly(".lock", "billing.eu_1-b.json", "orders.json");
            assertThat(store.fileOf("orders")).isEqualTo(directory().toAbsolutePath().resolve("orders.json"));
            assertThat(StateCodec.read(Files.readAllBytes(store.fileOf("orders")), "test"))
                    .isEqualTo(StateStoreContract.fullState("orders").withCheckpoint(T0.plusSeconds(4)));
        }
    }

    @Test
    void createsAMissingDirectoryWithItsParents() {
        Path nested = temp.resolve("a").resolve("b").resolve("c");
        try (FileStateStore store = new FileStateStore(nested)) {
            store.save(PipelineState.initial("orders", T0));

            assertThat(nested.resolve("orders.json")).isRegularFile();
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAnErrorNamingIt() throws IOException {
        Path file = Files.writeString(temp.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> new FileStateStore(file))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("cannot create the state directory " + file.toAbsolutePath())
                .hasMessageContaining("not a directory")
                .hasMessageContaining("'path'");
        assertThatThrownBy(() -> new FileStateStore(file.resolve("below")))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("cannot create the state directory " + file.resolve("below").toAbsolutePath())
                .hasMessageContaining("not a directory");
    }

    static Stream<Arguments> corruptFiles() {
        String full = new String(StateCodec.write(StateStoreContract.fullState("orders")), StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("truncated JSON", full.substring(0, full.length() / 2), "is not JSON"),
                Arguments.of("not JSON", "checkpoint=2026-03-01T10:00:00Z", "is not JSON"),
                Arguments.of("an empty file", "", "is not a JSON object"),
                Arguments.of("a JSON array", "[1, 2]", "is not a JSON object"),
                Arguments.of("JSON missing fields", "{\"version\":1,\"pipelineId\":\"orders\"}",
                        "is not a complete pipeline state"),
                Arguments.of("JSON with no version", full.replace("\"version\":1,", ""), "has no schema version"),
                Arguments.of("a future version", full.replace("\"version\":1,", "\"version\":2,"),
                        "has schema version 2, and this logalert reads version 1 only"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void aCorruptFileIsAnErrorNamingTheFileAndTheProblemAndIsLeftUntouched(String what, String content,
            String problem) throws IOException {
        try (FileStateStore store = new FileStateStore(directory())) {
            Path file = Files.writeString(store.fileOf("orders"), content);

            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> store.load("orders"))
                        .isInstanceOf(StateStoreException.class)
                        .hasMessageContaining(file.toString())
                        .hasMessageContaining(problem)
                        .hasMessageContaining("reset the pipeline");
            }
            assertThat(Files.readString(file)).isEqualTo(content);
        }
    }

    @Test
    void aFileHoldingAnotherPipelinesStateIsAnError() throws IOException {
        try (FileStateStore store = new FileStateStore(directory())) {
            store.save(PipelineState.initial("billing", T0));
            Files.copy(store.fileOf("billing"), store.fileOf("orders"));

            assertThatThrownBy(() -> store.load("orders"))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining(store.fileOf("orders").toString())
                    .hasMessageContaining("holds the state of pipeline 'billing', not of 'orders'");
        }
    }

    @Test
    void aFileThatCannotBeReadIsAnErrorNamingIt() throws IOException {
        try (FileStateStore store = new FileStateStore(directory())) {
            // A directory in the file's place: unreadable as a file even for root, unlike a chmod.
            Files.createDirectory(store.fileOf("orders"));

            assertThatThrownBy(() -> store.load("orders"))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("cannot read the state file " + store.fileOf("orders"));
        }
    }

    @Test
    void aSaveThatCannotReplaceTheFileIsAnErrorAndLeavesNoTemporaryFile() throws IOException {
        try (FileStateStore store = new FileStateStore(directory())) {
            Files.createDirectory(store.fileOf("orders"));
            Files.writeString(store.fileOf("orders").resolve("keep"), "x");

            assertThatThrownBy(() -> store.save(PipelineState.initial("orders", T0)))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("cannot save the state file " + store.fileOf("orders"))
                    .hasMessageContaining("the previous state is kept");
            assertThat(namesIn(directory())).containsExactly(".lock", "orders.json");
        }
    }

    @Test
    void aLeftoverTemporaryFileIsIgnoredByLoadAndRemovedByTheNextSave() throws IOException {
        try (FileStateStore store = new FileStateStore(directory())) {
            store.save(PipelineState.initial("orders", T0));
            // What a crash between writing and renaming leaves: a partial document under a temporary name.
            Path leftover = Files.writeString(directory().resolve(".orders.8123456789.tmp"), "{\"version\":1,\"pi");

            assertThat(store.load("orders")).contains(PipelineState.initial("orders", T0));
            assertThat(store.load("billing")).isEmpty();

            store.save(PipelineState.initial("billing", T0));

            assertThat(leftover).doesNotExist();
            assertThat(namesIn(directory())).containsExactly(".lock", "billing.json", "orders.json");
        }
    }

    @Test
    void resetDeletesTheFileOfThatPipelineOnly() throws IOException {
        try (FileStateStore store = new FileStateStore(directory())) {
            store.save(PipelineState.initial("orders", T0));
            store.save(PipelineState.initial("billing", T0));

            store.reset("orders");

            assertThat(store.fileOf("orders")).doesNotExist();
            assertThat(namesIn(directory())).containsExactly(".lock", "billing.json");
        }
    }

    @Test
    void survivesARestart() {
        PipelineState state = StateStoreContract.fullState("orders");
        try (FileStateStore store = new FileStateStore(directory())) {
            store.save(state);
        }
        try (FileStateStore store = new FileStateStore(directory())) {
            assertThat(store.load("orders")).contains(state);
        }
    }

    @Test
    void pipelineIdsThatCannotNameAFileAreRefused() {
        try (FileStateStore store = new FileStateStore(directory())) {
            for (String id : List.of("", "../escape", "a/b", ".hidden", "-dash", "a b", "x".repeat(65), "支付")) {
                assertThatThrownBy(() -> store.load(id)).as(id)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("pipeline id '" + id + "' cannot name a state file")
                        .hasMessageContaining("1 to 64 letters, digits, '.', '_' or '-', starting with a letter");
                assertThatThrownBy(() -> store.save(PipelineState.initial(id, T0))).as(id)
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.reset(id)).as(id)
                        .isInstanceOf(IllegalArgumentException.class);
            }
            store.save(PipelineState.initial("x".repeat(64), T0));
            assertThat(store.load("x".repeat(64))).isPresent();
        }
    }

    @Test
    void aSecondStoreOverTheSameDirectoryIsRefusedUntilTheFirstCloses() throws IOException {
        FileStateStore first = new FileStateStore(directory());
        first.save(PipelineState.initial("orders", T0));
        // Other spellings of the same directory are the same directory.
        Path otherSpelling = temp.resolve("elsewhere").resolve("..").resolve("state");
        Files.createDirectories(temp.resolve("elsewhere"));
        Path symbolicLink = Files.createSymbolicLink(temp.resolve("link"), directory());

        for (Path path : List.of(directory(), otherSpelling, symbolicLink)) {
            assertThatThrownBy(() -> new FileStateStore(path))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("the state directory")
                    .hasMessageContaining("is in use by another file state store of this process")
                    .hasMessageContaining("two writers of one directory are refused");
        }
        // The refusal did not take the first store's lock away.
        first.save(PipelineState.initial("orders", T0.plusSeconds(1)));
        assertThat(first.load("orders")).contains(PipelineState.initial("orders", T0.plusSeconds(1)));

        first.close();
        first.close();

        try (FileStateStore second = new FileStateStore(directory())) {
            assertThat(second.load("orders")).contains(PipelineState.initial("orders", T0.plusSeconds(1)));
        }
    }

    @Test
    void aClosedStoreRefusesToBeUsed() {
        FileStateStore store = new FileStateStore(directory());
        store.close();

        assertThatThrownBy(() -> store.save(PipelineState.initial("orders", T0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the state store file[" + directory().toAbsolutePath() + "] is closed");
        assertThatThrownBy(() -> store.load("orders")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.reset("orders")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDirectoryLockedByAnotherProcessIsRefusedWhileItLivesAndFreeAfterItExits() throws Exception {
        Path errors = temp.resolve("child-stderr.txt");
        Process child = startLockHolder(errors);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the child's first line; its stderr: %s", Files.readString(errors))
                    .isEqualTo("locked");

            StateStoreException refused = catchThrowableOfType(StateStoreException.class,
                    () -> new FileStateStore(directory()));
            assertThat(refused).isNotNull();
            assertThat(refused.getMessage())
                    .contains("the state directory " + directory().toAbsolutePath() + " is in use by another process")
                    .contains("(pid " + child.pid() + ")")
                    .contains("two writers of one directory are refused");

            try (OutputStream in = child.getOutputStream()) {
                in.write('\n'); // lets the child close its store and exit
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("its stderr: %s", Files.readString(errors)).isZero();

            try (FileStateStore store = new FileStateStore(directory())) {
                assertThat(store.load("from-child")).contains(PipelineState.initial("from-child", T0));
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void nameIsTheTypeAndTheDirectory() {
        try (FileStateStore store = new FileStateStore(directory())) {
            assertThat(store.name()).isEqualTo("file[" + directory().toAbsolutePath() + "]");
            assertThat(store).hasToString(store.name());
        }
    }

    @Test
    void theProviderCreatesAFileStoreFromItsPath() {
        PluginConfig config = PluginConfig.of(Map.of("path", directory().toString()));
        try (StateStore store = Plugins.create(StateStoreProvider.class, "file", config,
                getClass().getClassLoader())) {
            store.save(PipelineState.initial("orders", T0));

            assertThat(store).isInstanceOf(FileStateStore.class);
            assertThat(store.name()).isEqualTo("file[" + directory().toAbsolutePath() + "]");
            assertThat(directory().resolve("orders.json")).isRegularFile();
        }
    }

    @Test
    void theProviderListsEveryConfigurationProblem() {
        PluginConfig config = PluginConfig.of(Map.of("paht", "/var/lib/logalert", "dir", "x"));

        assertThatThrownBy(() -> new BuiltInPlugins.FileStateStoreProvider().create(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "'path' is required: the directory to keep pipeline state in, one <pipeline-id>.json per "
                                + "pipeline; created if missing",
                        "unknown key 'dir'; known keys: path",
                        "unknown key 'paht'; known keys: path"))
                .hasMessageStartingWith("invalid configuration of file state store (3 problems):");
        assertThatThrownBy(() -> new BuiltInPlugins.FileStateStoreProvider()
                .create(PluginConfig.of(Map.of("path", "bad\0path"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("'path' must be a directory path, was 'bad"));
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anotherProcessIsRefusedWhileThisOneHoldsTheDirectoryEvenAfterARefusalHere() throws Exception {
        try (FileStateStore store = new FileStateStore(directory())) {
            // A refused store of this JVM opens nothing: on POSIX, closing a descriptor of the lock file would drop
            // the lock this process holds, and the other process below would get in.
            assertThatThrownBy(() -> new FileStateStore(directory())).isInstanceOf(StateStoreException.class);

            Path errors = temp.resolve("child-stderr.txt");
            Process child = startLockHolder(errors);
            try {
                String line = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();

                assertThat(line).as("the child's first line; its stderr: %s", Files.readString(errors))
                        .startsWith("refused: the state directory " + directory().toAbsolutePath()
                                + " is in use by another process (pid " + ProcessHandle.current().pid() + ")");
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).isEqualTo(LockHolder.REFUSED);
            } finally {
                child.destroyForcibly();
            }
            store.save(PipelineState.initial("orders", T0));
        }
    }

    private Process startLockHolder(Path errors) throws IOException {
        return new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), directory().toString())
                .redirectError(errors.toFile())
                .start();
    }

    /**
     * Run as a child JVM: opens a store over the directory {@code args[0]}, saves a state, prints {@code locked},
     * and holds the lock until a line (or the end) arrives on its input; or prints {@code refused: <message>} and
     * exits with {@link #REFUSED} when the store cannot be created.
     */
    static final class LockHolder {

        static final int REFUSED = 3;

        public static void main(String[] args) throws IOException {
            FileStateStore store;
            try {
                store = new FileStateStore(Path.of(args[0]));
            } catch (StateStoreException e) {
                System.out.println("refused: " + e.getMessage());
                System.out.flush();
                System.exit(REFUSED);
                return;
            }
            try (store) {
                store.save(PipelineState.initial("from-child", T0));
                System.out.println("locked");
                System.out.flush();
                System.in.read();
            }
        }
    }
}
