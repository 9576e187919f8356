package io.logalert.source.elasticsearch;

import co.elastic.clients.transport.TransportUtils;
import io.logalert.spi.ConfigException;
import io.logalert.spi.ConfigValidator;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
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
        for (String raw : rawHosts) {
            parseHost(raw).ifPresentOrElse(hosts::add, () -> v.problem("'" + HOSTS + "' holds " + describeHost(raw)
                    + ", which is not a URL such as http://127.0.0.1:9200 or https://es.example.com:9200 "
                    + "(scheme http or https, a host, an optional port, no path, no credentials)"));
        }

        Optional<String> username = v.string(USERNAME);
        Optional<String> password = v.secret(PASSWORD);
        Optional<String> apiKey = v.secret(API_KEY);
        v.check(username.isPresent() == password.isPresent(), "'" + USERNAME + "' and '" + PASSWORD
                + "' go together: set both for basic authentication, or neither");
        v.check(apiKey.isEmpty() || username.isEmpty(), "set either '" + API_KEY + "' or '" + USERNAME + "'/'"
                + PASSWORD + "', not both");

        Optional<Path> caCertificate = v.string(CA_CERTIFICATE).map(Path::of);
        caCertificate.ifPresent(path -> v.check(Files.isRegularFile(path) && Files.isReadable(path),
                "'" + CA_CERTIFICATE + "' must name a readable PEM file, but " + path + " is not one"));
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
        Optional<SSLContext> ssl = sslContext(subject);
        builder.setHttpClientConfigCallback(http -> {
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
                return Optional.of(TransportUtils.sslContextFromHttpCaCrt(caCertificate.get().toFile()));
            }
            if (caFingerprint.isPresent()) {
                return Optional.of(TransportUtils.sslContextFromCaFingerprint(caFingerprint.get()));
            }
            if (!verifyTls) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustEverything()}, null);
                return Optional.of(context);
            }
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

    /** A host value for a message; a value holding credentials is not echoed. */
    private static String describeHost(String raw) {
        return raw.contains("@") ? "a URL with credentials in it (use 'username'/'password' or 'api-key')"
                : "'" + raw + "'";
    }

    /** For {@code verify-tls=false} only: accepts any certificate, as the user asked. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
