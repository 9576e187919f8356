package io.logalert.source.elasticsearch;

import io.logalert.spi.ConfigException;
import io.logalert.spi.ConfigValidator;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.nio.reactor.IOReactorConfig;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * How to reach Elasticsearch: the hosts, the credentials and the TLS trust that the source and the state store share,
 * read from the same keys by both. {@link #toString()} never shows a secret.
 */
record ConnectionSettings(
        List<URI> hosts,
        Optional<String> username,
        Optional<String> password,
        Optional<String> apiKey,
        Optional<Path> caCertificate,
        Optional<String> caFingerprint,
        boolean verifyTls) {

    static final String HOSTS = "hosts";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String API_KEY = "api-key";
    static final String CA_CERTIFICATE = "ca-certificate";
    static final String CA_FINGERPRINT = "ca-fingerprint";
    static final String VERIFY_TLS = "verify-tls";
    static final String REQUEST_TIMEOUT = "request-timeout";

    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern FINGERPRINT = Pattern.compile("(?i)[0-9a-f]{64}");

    /**
     * Reads {@code hosts}, {@code username}/{@code password}/{@code api-key} and {@code ca-certificate}/
     * {@code ca-fingerprint}/{@code verify-tls}, recording every problem in {@code v}.
     */
    static ConnectionSettings read(ConfigValidator v) {
        List<URI> hosts = new ArrayList<>();
        List<String> rawHosts = v.list(HOSTS);
        if (rawHosts.isEmpty()) {
            v.problem("'" + HOSTS + "' is required: one or more comma-separated URLs such as http://127.0.0.1:9200");
        }
        for (int i = 0; i < rawHosts.size(); i++) {
            String raw = rawHosts.get(i);
            String entry = rawHosts.size() == 1 ? "" : " entry " + (i + 1) + " of " + rawHosts.size();
            parseHost(raw).ifPresentOrElse(hosts::add, () -> v.problem("'" + HOSTS + "'" + entry + " "
                    + hostProblem(raw) + "; write a URL such as http://127.0.0.1:9200 or https://es.example.com:9200 "
                    + "(scheme http or https, a host, an optional port, no path, no query, no credentials: those go "
                    + "in '" + USERNAME + "'/'" + PASSWORD + "' or '" + API_KEY + "')"));
        }

        Optional<String> username = v.string(USERNAME);
        Optional<String> password = v.secret(PASSWORD);
        Optional<String> apiKey = v.secret(API_KEY);
        v.check(username.isPresent() == password.isPresent(), "'" + USERNAME + "' and '" + PASSWORD
                + "' go together: set both for basic authentication, or neither");
        v.check(apiKey.isEmpty() || username.isEmpty(), "set either '" + API_KEY + "' or '" + USERNAME + "'/'"
                + PASSWORD + "', not both");

        Optional<Path> caCertificate = v.string(CA_CERTIFICATE).map(Path::of);
        caCertificate.ifPresent(path -> caCertificateProblem(path).ifPresent(v::problem));
        Optional<String> caFingerprint = v.string(CA_FINGERPRINT).map(f -> f.replace(":", ""));
        caFingerprint.ifPresent(f -> v.check(FINGERPRINT.matcher(f).matches(), "'" + CA_FINGERPRINT
                + "' must be the SHA-256 fingerprint of the CA certificate: 64 hex digits, colons allowed"));
        v.check(caCertificate.isEmpty() || caFingerprint.isEmpty(),
                "set either '" + CA_CERTIFICATE + "' or '" + CA_FINGERPRINT + "', not both");
        boolean verifyTls = v.bool(VERIFY_TLS, true);
        v.check(verifyTls || (caCertificate.isEmpty() && caFingerprint.isEmpty()), "'" + VERIFY_TLS
                + "' is false, so '" + CA_CERTIFICATE + "'/'" + CA_FINGERPRINT + "' would be ignored: remove one");
        boolean anyHttps = hosts.stream().anyMatch(h -> h.getScheme().equals("https"));
        v.check(anyHttps || (caCertificate.isEmpty() && caFingerprint.isEmpty()), "'" + CA_CERTIFICATE + "'/'"
                + CA_FINGERPRINT + "' is set but no host in '" + HOSTS + "' uses https");

        return new ConnectionSettings(List.copyOf(hosts), username, password, apiKey, caCertificate, caFingerprint,
                verifyTls);
    }

    /** Reads {@code request-timeout}, more than zero. Default: 30 s. */
    static Duration requestTimeout(ConfigValidator v) {
        Duration requestTimeout = v.duration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
        v.check(!requestTimeout.isZero(), "'" + REQUEST_TIMEOUT + "' must be more than zero, e.g. 30s");
        return requestTimeout;
    }

    /**
     * Why {@code ca-certificate} cannot be read, or empty. The path is shown only when a file is there: a value that
     * names no file may be a secret typed into the wrong key.
     */
    private static Optional<String> caCertificateProblem(Path path) {
        if (Files.isRegularFile(path) && Files.isReadable(path)) {
            return Optional.empty();
        }
        if (Files.exists(path)) {
            return Optional.of("'" + CA_CERTIFICATE + "' must name a readable PEM file, but " + path + " is "
                    + (Files.isDirectory(path) ? "a directory" : "not readable by this process"));
        }
        return Optional.of("'" + CA_CERTIFICATE + "' must name a readable PEM file, but there is no file at "
                + ConfigValidator.redact(path.toString()) + (path.isAbsolute() ? "" : ", a path relative to "
                + Path.of("").toAbsolutePath()));
    }

    /**
     * The warning {@code verify-tls=false} deserves when a client is created, or empty when certificates are
     * verified.
     */
    Optional<String> insecureWarning() {
        if (verifyTls) {
            return Optional.empty();
        }
        return Optional.of("'" + VERIFY_TLS + "' is false: every certificate and host name is trusted, so anyone "
                + "between this process and " + hostList() + " can read the credentials and the logs, or answer "
                + "in the cluster's place. Use it for tests only; set '" + CA_CERTIFICATE + "' or '" + CA_FINGERPRINT
                + "' instead");
    }

    /** The hosts as users wrote them (with the default port), for names and messages. */
    String hostList() {
        return String.join(",", hosts.stream().map(URI::toString).toList());
    }

    /** Who requests are made as, for messages, e.g. {@code user 'bob'}; never a secret. */
    String principal() {
        return username.map(u -> "user '" + u + "'")
                .orElse(apiKey.isPresent() ? "the configured API key" : "anonymous requests");
    }

    /**
     * A low-level client for these hosts, credentials and TLS trust; the caller closes it. Connects lazily.
     *
     * @param requestTimeout the connect, socket and pool timeout of each request
     * @param subject        who is configured, for a {@link ConfigException}: the plug-in's type
     * @throws ConfigException when the CA certificate or fingerprint cannot be used
     */
    RestClient restClient(Duration requestTimeout, String subject) {
        HttpHost[] httpHosts = hosts.stream()
                .map(uri -> new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme())).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(httpHosts);
        List<Header> headers = new ArrayList<>();
        if (username.isPresent()) {
            String credentials = username.get() + ":" + password.orElse("");
            headers.add(new BasicHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
        }
        apiKey.ifPresent(key -> headers.add(new BasicHeader("Authorization", "ApiKey " + key)));
        builder.setDefaultHeaders(headers.toArray(Header[]::new));
        int timeout = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
        builder.setRequestConfigCallback(config -> config.setConnectTimeout(timeout).setSocketTimeout(timeout)
                .setConnectionRequestTimeout(timeout));
        // the I/O reactor looks for timed-out connections once per select interval (1 s by default), which lets a
        // short timeout run up to a second late: look ten times per timeout, and at least once a second
        int selectInterval = (int) Math.max(10, Math.min(1000, timeout / 10));
        Optional<SSLContext> ssl = sslContext(subject);
        builder.setHttpClientConfigCallback(http -> {
            http.setDefaultIOReactorConfig(IOReactorConfig.custom().setSelectInterval(selectInterval).build());
            ssl.ifPresent(http::setSSLContext);
            if (!verifyTls) {
                http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            }
            return http;
        });
        return builder.build();
    }

    @Override
    public String toString() {
        // the password and the API key stay out: settings end up in logs and exception messages
        return "ConnectionSettings[hosts=" + hostList() + ", username=" + username.orElse("") + ", password="
                + (password.isPresent() ? "***" : "") + ", apiKey=" + (apiKey.isPresent() ? "***" : "")
                + ", verifyTls=" + verifyTls + "]";
    }

    private Optional<SSLContext> sslContext(String subject) {
        try {
            if (caCertificate.isPresent()) {
                return Optional.of(TlsTrust.caCertificate(caCertificate.get()));
            }
            if (caFingerprint.isPresent()) {
                return Optional.of(TlsTrust.caFingerprint(caFingerprint.get()));
            }
            if (!verifyTls) {
                return Optional.of(TlsTrust.trustEverything());
            }
            // the JVM's default trust store; Failures names the host when it refuses a certificate
            return Optional.empty();
        } catch (IOException | RuntimeException | GeneralSecurityException e) {
            String problem;
            if (caCertificate.isPresent()) {
                problem = "'" + CA_CERTIFICATE + "' " + caCertificate.get() + " cannot be used as a CA certificate: "
                        + e.getMessage();
            } else if (caFingerprint.isPresent()) {
                // a fingerprint is not a secret, but the message need not repeat it: the key is enough
                problem = "'" + CA_FINGERPRINT + "' cannot be used to trust the CA: " + e.getMessage();
            } else {
                problem = "'" + VERIFY_TLS + "' is false, but no TLS context trusting every certificate could be "
                        + "made: " + e.getMessage();
            }
            throw new ConfigException(subject, List.of(problem));
        }
    }

    private static Optional<URI> parseHost(String raw) {
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean ok = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
            if (!ok) {
                return Optional.empty();
            }
            int port = uri.getPort() == -1 ? 9200 : uri.getPort();
            return Optional.of(new URI(scheme, null, uri.getHost(), port, null, null, null));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * What is wrong with a {@code hosts} entry that is not a URL this source takes, never showing it whole: an API key
     * in a query string or a password in the user info would end up in logs with the exception. A URL shows its host
     * and what it holds that it must not; anything else a short redacted prefix.
     */
    static String hostProblem(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return "(" + ConfigValidator.redact(raw) + ") is not a URL";
        }
        List<String> wrong = new ArrayList<>();
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            wrong.add("a scheme other than http or https");
        }
        if (uri.getRawUserInfo() != null) {
            wrong.add("credentials");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            wrong.add("a path");
        }
        if (uri.getRawQuery() != null) {
            wrong.add("a query string");
        }
        if (uri.getRawFragment() != null) {
            wrong.add("a fragment");
        }
        return "(host " + uri.getHost() + ") holds " + String.join(", ", wrong) + ", not shown here";
    }
}
