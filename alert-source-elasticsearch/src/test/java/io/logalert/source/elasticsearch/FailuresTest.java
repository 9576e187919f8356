package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.elasticsearch._types.ShardStatistics;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.SourceUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;

/**
 * The guard against partial answers and unreadable indices, and the words of failures;
 * {@code ElasticsearchLogSourceIT}, {@code UnavailableIndexIT} and {@code TlsNodeIT} feed real answers.
 */
class FailuresTest {

    private final Failures failures = new Failures("elasticsearch[http://es:9200]", "http://es:9200", "anonymous",
            ConnectionSettings.DEFAULT_REQUEST_TIMEOUT);

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
    void aFieldCapabilitiesAnswerThatCouldNotReadAnIndexFailsTheReadNamingIt() throws Exception {
        // what Elasticsearch 8.19 answers, with HTTP 200, when an index of the pattern is red
        JsonNode answer = new ObjectMapper().readTree("""
                {"indices":["logs-ok"],"fields":{},"failed_indices":1,"failures":[{"indices":["logs-trouble"],
                 "failure":{"error":{"root_cause":[{"type":"no_shard_available_action_exception",
                 "reason":"index [logs-trouble] has no active shard copy"}],
                 "type":"no_shard_available_action_exception",
                 "reason":"index [logs-trouble] has no active shard copy"}}}]}""");

        assertThatThrownBy(() -> failures.requireEveryIndexRead("read the mappings of 'logs-*'", answer))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("could not read the mappings of 'logs-*': it cannot read [logs-trouble] now "
                        + "(no_shard_available_action_exception: index [logs-trouble] has no active shard copy)")
                .hasMessageContaining("red")
                .hasMessageContaining("exclude it from 'index' (-logs-trouble)");
        assertThatCode(() -> failures.requireEveryIndexRead("read the mappings of 'logs-*'", new ObjectMapper()
                .readTree("{\"indices\":[\"logs-ok\"],\"fields\":{}}"))).doesNotThrowAnyException();
    }

    @Test
    void anIndexThatFailsForAnotherReasonIsAnErrorNotAnOutage() throws Exception {
        JsonNode answer = new ObjectMapper().readTree("""
                {"indices":[],"fields":{},"failures":[{"indices":["logs-a","logs-b"],
                 "failure":{"type":"illegal_argument_exception","reason":"field [@timestamp] is not a date"}}]}""");

        assertThatThrownBy(() -> failures.requireEveryIndexRead("read the mappings of 'logs-*'", answer))
                .isInstanceOf(LogSourceException.class)
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("it cannot read [logs-a, logs-b] now (illegal_argument_exception: field "
                        + "[@timestamp] is not a date)");
    }

    @Test
    void aPointInTimeRefusedForMissingShardsSaysWhichWithItsCause() {
        // the 503 of opening a point in time on a partly red index: the reason is in caused_by
        ElasticsearchException refused = new ElasticsearchException("open_point_in_time", ErrorResponse.of(r -> r
                .status(503).error(e -> e.type("search_phase_execution_exception").reason("")
                        .causedBy(c -> c.type("search_phase_execution_exception").reason("Search rejected due to "
                                + "missing shards [[logs-a][1]]. Consider using `allow_partial_search_results`")))));

        assertThat(failures.of("open a point in time on [logs-a]", refused))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("HTTP 503").hasMessageContaining("missing shards [[logs-a][1]]");
    }

    @Test
    void tlsFailuresAreConfigurationErrorsNamingTheHost() {
        Failures tls = new Failures("elasticsearch[https://es:9200]", "https://es:9200", "user 'bob'",
                ConnectionSettings.DEFAULT_REQUEST_TIMEOUT);
        IOException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new TlsTrust.UntrustedCertificateException("the certificate of https://es:9200 "
                + "(CN=es) is not signed by the CA in 'ca-certificate' (CN=Other CA)", new CertificateException()));
        IOException jvmDefault = new SSLHandshakeException("PKIX path building failed");
        jvmDefault.initCause(new CertificateException(new CertPathBuilderException("unable to find valid "
                + "certification path to requested target")));
        IOException wrongName = new IOException("wrapped", new SSLPeerUnverifiedException("Host name 'es' does not "
                + "match the certificate subject provided by the peer (CN=other)"));

        assertThat(tls.of("read the mappings of 'logs'", untrusted))
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessage("elasticsearch[https://es:9200]: the certificate of https://es:9200 (CN=es) is not "
                        + "signed by the CA in 'ca-certificate' (CN=Other CA); could not read the mappings of 'logs'")
                .hasNoCause();
        assertThat(tls.of("read the mappings of 'logs'", jvmDefault))
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("the certificate of https://es:9200 is not trusted by the JVM's default trust "
                        + "store").hasMessageContaining("'ca-certificate'").hasMessageContaining("'ca-fingerprint'");
        assertThat(tls.of("read the mappings of 'logs'", wrongName))
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("the certificate of https://es:9200 does not name the host");
    }

    @Test
    void aRequestWithoutAnAnswerNamesTheRequestTimeoutAndEveryHostTried() {
        Failures timed = new Failures("elasticsearch[http://a:9200,http://b:9200]", "http://a:9200,http://b:9200",
                "anonymous", Duration.ofMillis(1500));
        IOException last = new ConnectException("Connection refused");
        last.addSuppressed(new SocketTimeoutException("1,500 milliseconds timeout on connection http-outgoing-0"));

        assertThat(timed.of("read the mappings of 'logs'", last)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("cannot reach Elasticsearch at http://a:9200,http://b:9200")
                .hasMessageContaining("ConnectException (Connection refused); before that: SocketTimeoutException");
        assertThat(timed.of("read the mappings of 'logs'", new IOException(new SocketTimeoutException("slow"))))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("did not answer within the request timeout of 1500ms ('request-timeout') to "
                        + "read the mappings of 'logs'");
        assertThat(Failures.describe(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Failures.describe(Duration.ofMillis(250))).isEqualTo("250ms");
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
