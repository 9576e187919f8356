package io.logalert.examples;

import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Creates {@link JsonWebhookSink}s, type {@value JsonWebhookSink#TYPE}; registered in
 * {@code META-INF/services/io.logalert.spi.AlertSinkProvider}, which is all it takes for
 * {@code AlertPipeline.builder().addSink("json-webhook", config)} to find it.
 *
 * <p>Keys:
 * <ul>
 *   <li>{@code url} (required): the {@code http} or {@code https} URL to POST to. A user name and password before
 *       the host ({@code https://user:password@host/...}) are sent as HTTP Basic authentication, unless
 *       {@code header.Authorization} is given. The query is sent but never shown, since webhooks often carry their
 *       token there. When the path itself is the secret (as in Slack's or Discord's webhook URLs), set {@code name}.</li>
 *   <li>{@code header.<Name>}: an extra request header, e.g. {@code header.Authorization} = {@code Bearer …}. Values
 *       are secrets, never shown. Found through {@link PluginConfig#keys()}, so give the configuration with
 *       {@link PluginConfig#of(Map)}, not as a lambda.</li>
 *   <li>{@code timeout}: how long to wait to connect, and then for the answer. Default: {@code 10s}.</li>
 *   <li>{@code name}: the sink's name in reports and routes. Default: {@code json-webhook[<url without user info
 *       and query>]}.</li>
 * </ul>
 * Every problem is reported at once, in one {@link io.logalert.spi.ConfigException}; no secret value is ever echoed.
 */
public final class JsonWebhookSinkProvider implements AlertSinkProvider {

    /** Default of {@code timeout}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final String HEADER = "header.";
    /** A header name: an RFC 9110 token. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Query values and token parts shorter than this are not hidden on their own: "1" or "json" is no secret. */
    private static final int MIN_SECRET_PART = 6;

    /** Called by {@link java.util.ServiceLoader}. */
    public JsonWebhookSinkProvider() {
    }

    @Override
    public String type() {
        return JsonWebhookSink.TYPE;
    }

    /**
     * Creates a sink from {@code config}.
     *
     * @throws io.logalert.spi.ConfigException listing every problem of {@code config}
     */
    @Override
    public AlertSink create(PluginConfig config) {
        return create(config, Clock.systemUTC());
    }

    /** As {@link #create(PluginConfig)}, {@code Retry-After} seconds counted on {@code clock}. */
    static JsonWebhookSink create(PluginConfig config, Clock clock) {
        ConfigValidator v = config.validator(JsonWebhookSink.TYPE + " sink");
        Set<String> secrets = new HashSet<>();
        Map<String, String> headers = new LinkedHashMap<>();

        URI target = null;
        String shown = "";
        String basicAuth = null;
        // read as a secret: a webhook URL often is one, so no problem below quotes it
        Optional<String> raw = v.secret("url").map(String::strip);
        if (raw.isEmpty()) {
            v.problem("'url' is required: the http or https URL digests are POSTed to");
        } else {
            secrets.add(raw.get());
            try {
                URI url = new URI(raw.get());
                String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                    v.problem("'url' must be an http or https URL with a host, such as "
                            + "https://hooks.example.com/logalert (value not shown: it may hold credentials)");
                } else {
                    String hostPort = url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
                    String path = url.getRawPath() == null ? "" : url.getRawPath();
                    String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
                    // the user info goes into a header, never into the request line
                    target = URI.create(scheme + "://" + hostPort + path + query);
                    shown = scheme + "://" + hostPort + path;
                    if (url.getRawQuery() != null) {
                        hideQuery(url.getRawQuery(), secrets);
                    }
                    if (url.getRawUserInfo() != null) {
                        String userInfo = url.getUserInfo();
                        secrets.add(url.getRawUserInfo());
                        secrets.add(userInfo);
                        int colon = userInfo.indexOf(':');
                        if (colon >= 0 && colon < userInfo.length() - 1) {
                            secrets.add(userInfo.substring(colon + 1));
                        }
                        basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                                userInfo.getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (URISyntaxException e) {
                v.problem("'url' is not a URL: " + e.getReason() + " (value not shown: it may hold credentials)");
            }
        }

        for (String key : new TreeSet<>(config.keys())) {
            if (!key.startsWith(HEADER)) {
                continue;
            }
            String header = key.substring(HEADER.length());
            Optional<String> value = v.secret(key);
            if (!TOKEN.matcher(header).matches()) {
                v.problem("'" + key + "' does not name a header; write header.<Name>, e.g. header.Authorization");
            } else if (value.isEmpty()) {
                v.problem("'" + key + "' has no value; give one or leave the key out");
            } else if (!settable(header, value.get())) {
                v.problem("'" + key + "' cannot be sent: the JDK HTTP client does not let an application set "
                        + header + " (Host, Content-Length, Connection and a few others are its own), or the value "
                        + "holds a character a header cannot (value not shown)");
            } else {
                headers.put(header, value.get());
                hideHeaderValue(value.get(), secrets);
            }
        }
        if (basicAuth != null && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            headers.put("Authorization", basicAuth);
            hideHeaderValue(basicAuth, secrets);
        }

        Duration timeout = v.duration("timeout", DEFAULT_TIMEOUT);
        v.check(!timeout.isZero(), "'timeout' must be longer than zero, such as 10s");
        String name = v.string("name", JsonWebhookSink.TYPE + "[" + shown + "]");
        v.validate();
        return new JsonWebhookSink(target, headers, timeout, name, secrets, clock);
    }

    /** Whether the JDK client lets an application send {@code header} with {@code value}. */
    private static boolean settable(String header, String value) {
        try {
            HttpRequest.newBuilder().setHeader(header, value);
            return true;
        } catch (IllegalArgumentException e) {
            // its message may quote the value: not passed on
            return false;
        }
    }

    /** The query, and each long enough value in it, raw and decoded: a receiver may echo any of them. */
    private static void hideQuery(String rawQuery, Set<String> secrets) {
        secrets.add(rawQuery);
        secrets.add(decode(rawQuery));
        for (String pair : rawQuery.split("&")) {
            String value = pair.substring(pair.indexOf('=') + 1);
            if (value.length() >= MIN_SECRET_PART) {
                secrets.add(value);
                secrets.add(decode(value));
            }
        }
    }

    /** The value, and its last word ("Bearer abc…" → "abc…"): a receiver may echo the token alone. */
    private static void hideHeaderValue(String value, Set<String> secrets) {
        secrets.add(value);
        String[] words = value.strip().split("\\s+");
        String last = words[words.length - 1];
        if (last.length() >= MIN_SECRET_PART) {
            secrets.add(last);
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
