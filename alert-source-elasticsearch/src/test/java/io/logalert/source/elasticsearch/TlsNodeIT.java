package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.SourceUnavailableException;
import io.logalert.spi.StateStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Elasticsearch 8 as it ships: security on, and HTTPS with the cluster's own CA. One node for the class, its CA and
 * certificate made by the test; each way to trust it ({@code ca-certificate}, {@code ca-fingerprint},
 * {@code verify-tls=false}) and to authenticate (a password, an API key) reads, the state store included, and each
 * way to get it wrong is a clear error naming the host or the user, never a stack trace or a secret.
 */
class TlsNodeIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(60));
    private static final String INDEX = "tls-logs";
    private static final String USER = "logalert_admin";
    private static final String PASSWORD = "admin-horse-battery";
    private static final String NO_READER = "logalert_no_reader";
    private static final String NO_READER_PASSWORD = "no-reader-horse";
    private static final String MONITOR = "logalert_monitor";
    private static final String MONITOR_PASSWORD = "monitor-horse";

    private static ElasticsearchNode node;
    private static TlsCertificates tls;
    private static Path otherCa;
    private static Path scratch;

    @BeforeAll
    static void startNodeWithTls() throws IOException {
        long start = System.nanoTime();
        // and a user who may log in but read nothing, and one who may read other indices only (.monitoring-*)
        node = ElasticsearchNode.startTls(USER, PASSWORD,
                new ElasticsearchNode.FileUser(NO_READER, NO_READER_PASSWORD, List.of()),
                new ElasticsearchNode.FileUser(MONITOR, MONITOR_PASSWORD, List.of("monitoring_user")));
        tls = node.certificates().orElseThrow();
        System.out.printf("TlsNodeIT: the node started with TLS in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        scratch = Files.createTempDirectory("logalert-tls-it-");
        otherCa = TlsCertificates.otherCa(scratch);
        TestIndices.load(node, INDEX, List.of(
                LogEvent.builder().timestamp(T0).project("p").message("boom").build(),
                LogEvent.builder().timestamp(T0.plusSeconds(1)).project("p").message("boom").build()));
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (node != null) {
            node.close();
        }
        if (scratch != null) {
            try (var files = Files.walk(scratch)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
            }
        }
    }

    // ---- trusting the node

    @Test
    void theNodeServesHttpsWithItsOwnCa() {
        assertThat(node.uri().getScheme()).isEqualTo("https");
        assertThat(tls.caFingerprint()).hasSize(64);
    }

    @Test
    void caCertificateReads() {
        assertThat(total(read(Map.of("ca-certificate", tls.caCertificate().toString())))).isEqualTo(2);
    }

    @Test
    void caFingerprintReadsWithOrWithoutColons() {
        assertThat(total(read(Map.of("ca-fingerprint", tls.caFingerprint())))).isEqualTo(2);
        assertThat(total(read(Map.of("ca-fingerprint", tls.caFingerprintWithColons())))).isEqualTo(2);
    }

    @Test
    void verifyTlsFalseReadsAndWarnsOnceAtCreation() {
        try (ElasticsearchLogSource source = source(Map.of("verify-tls", "false"))) {
            assertThat(source.warnings()).singleElement().asString()
                    .startsWith("'verify-tls' is false: every certificate and host name is trusted")
                    .contains(hosts()).contains("'ca-certificate' or 'ca-fingerprint'");
            List<LogEvent> read = new ArrayList<>();
            source.read(WINDOW, read::add);
            source.read(WINDOW, event -> { });

            assertThat(total(read)).isEqualTo(2);
            assertThat(source.warnings()).hasSize(1);
        }
    }

    @Test
    void aCaCertificateOfAnotherClusterIsAClearErrorNamingTheHost() {
        assertThatThrownBy(() -> read(Map.of("ca-certificate", otherCa.toString())))
                .isInstanceOf(LogSourceException.class)
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessage("elasticsearch[" + hosts() + "]: the certificate of " + hosts() + " (CN=127.0.0.1, issued "
                        + "by CN=logalert test CA) is not signed by the CA in 'ca-certificate' (CN=logalert other CA): "
                        + "check that 'hosts' points at the cluster that CA belongs to, or set 'ca-certificate' to the "
                        + "CA that signed its HTTP certificate (Elasticsearch 8: config/certs/http_ca.crt); could not "
                        + "read the mappings of '" + INDEX + "'")
                .hasNoCause();
    }

    @Test
    void aFingerprintOfAnotherCaIsAClearErrorNamingTheHost() {
        String otherFingerprint = "ab".repeat(32);

        assertThatThrownBy(() -> read(Map.of("ca-fingerprint", otherFingerprint)))
                .isInstanceOf(LogSourceException.class)
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessageStartingWith("elasticsearch[" + hosts() + "]: the certificate of " + hosts()
                        + " (CN=127.0.0.1, issued by CN=logalert test CA) is not signed by the CA whose fingerprint is "
                        + "in 'ca-fingerprint': no certificate the node presents (CN=127.0.0.1, CN=logalert test CA) "
                        + "has that SHA-256 fingerprint")
                .hasNoCause();
    }

    @Test
    void noCaAtAllIsAClearErrorPointingAtTheCaSettings() {
        // the JVM's default trust store knows public CAs, not the one a cluster made for itself
        assertThatThrownBy(() -> read(Map.of()))
                .isInstanceOf(LogSourceException.class)
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("the certificate of " + hosts() + " is not trusted by the JVM's default trust "
                        + "store")
                .hasMessageContaining("set 'ca-certificate' to the CA that signed it")
                .hasNoCause();
    }

    @Test
    void plainHttpToAnHttpsNodeSaysToWriteHttps() {
        String plain = "http://127.0.0.1:" + node.uri().getPort();

        assertThatThrownBy(() -> read(Map.of("hosts", plain)))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("cannot reach Elasticsearch at " + plain)
                .hasMessageContaining("if the node serves HTTPS, as Elasticsearch 8 does by default, write https://");
    }

    // ---- who reads

    @Test
    void anApiKeyReachesTheNodeAsOneAndARefusedOneIsA401NamingItsIdOnly() {
        // no API key can be made on this distribution (the security index needs a module it lacks), so the node
        // refuses every key; its answer shows it received this one as an API key, with the id 'wrong'
        String wrong = "d3Jvbmc6a2V5LXRoYXQtZG9lcy1ub3QtZXhpc3Q=";
        Map<String, String> config = Map.of("hosts", hosts(), "index", INDEX,
                "ca-certificate", tls.caCertificate().toString(), "api-key", wrong);

        try (ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(config))) {
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(LogSourceException.class)
                    .isNotInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("did not accept the configured API key (HTTP 401): check the credentials "
                            + "(Elasticsearch: API key: apikey authentication for id wrong encountered a failure)")
                    .hasMessageNotContaining(wrong)
                    .hasMessageNotContaining("key-that-does-not-exist");
        }
    }

    @Test
    void aUserWithoutTheReadPrivilegeGetsA403NamingUserAndIndex() {
        Map<String, String> config = Map.of("hosts", hosts(), "index", INDEX,
                "ca-certificate", tls.caCertificate().toString(), "username", NO_READER,
                "password", NO_READER_PASSWORD);

        try (ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(config))) {
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(LogSourceException.class)
                    .isNotInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("Elasticsearch at " + hosts() + " forbids user '" + NO_READER
                            + "' to read the mappings of '" + INDEX + "' (HTTP 403): grant the read and "
                            + "view_index_metadata privileges")
                    .hasMessageNotContaining(NO_READER_PASSWORD);
        }
    }

    @Test
    void aPatternTheUserMayNotReadIsAnErrorNotAnEmptyWindow() {
        // to a user who may read some indices, Elasticsearch answers a pattern with those of them it matches: none,
        // without a 403
        Map<String, String> config = Map.of("hosts", hosts(), "index", "tls-*",
                "ca-certificate", tls.caCertificate().toString(), "username", MONITOR, "password", MONITOR_PASSWORD);

        try (ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(config))) {
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(LogSourceException.class)
                    .isNotInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("'index' is 'tls-*', which matches nothing user '" + MONITOR + "' may see")
                    .hasMessageContaining("does not grant user '" + MONITOR + "' the read and view_index_metadata "
                            + "privileges on [tls-*]")
                    .hasMessageNotContaining(MONITOR_PASSWORD);
            assertThat(source.warnings()).isEmpty();
        }
    }

    // ---- the state store

    @Test
    void theStateStoreSavesAndLoadsOverHttpsWithTheCaCertificate() {
        PipelineState state = PipelineState.initial("tls-pipeline", T0);
        try (ElasticsearchStateStore store = ElasticsearchStateStore.create(PluginConfig.of(Map.of(
                "hosts", hosts(), "username", USER, "password", PASSWORD,
                "ca-certificate", tls.caCertificate().toString())))) {
            store.save(state);
            assertThat(store.load("tls-pipeline")).contains(state);
        }
    }

    @Test
    void theStateStoreNamesTheHostOfACertificateItDoesNotTrust() {
        try (ElasticsearchStateStore store = ElasticsearchStateStore.create(PluginConfig.of(Map.of(
                "hosts", hosts(), "username", USER, "password", PASSWORD,
                "ca-certificate", otherCa.toString())))) {
            assertThatThrownBy(() -> store.load("tls-pipeline"))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("the certificate of " + hosts() + " (CN=127.0.0.1, issued by CN=logalert "
                            + "test CA) is not signed by the CA in 'ca-certificate' (CN=logalert other CA)")
                    .hasMessageNotContaining(PASSWORD)
                    .hasNoCause();
        }
    }

    // ---- helpers

    /** {@code https://127.0.0.1:<port>}, as the {@code hosts} key takes it and messages show it. */
    private static String hosts() {
        return "https://127.0.0.1:" + node.uri().getPort();
    }

    private static ElasticsearchLogSource source(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of("hosts", hosts(), "index", INDEX, "username", USER,
                "password", PASSWORD));
        config.putAll(extra);
        return ElasticsearchLogSource.create(PluginConfig.of(config));
    }

    private static List<LogEvent> read(Map<String, String> extra) {
        List<LogEvent> read = new ArrayList<>();
        try (ElasticsearchLogSource source = source(extra)) {
            source.read(WINDOW, read::add);
        }
        return read;
    }

    private static long total(List<LogEvent> events) {
        return events.stream().mapToLong(LogEvent::occurrences).sum();
    }
}
