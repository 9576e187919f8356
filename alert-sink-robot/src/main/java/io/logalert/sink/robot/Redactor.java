package io.logalert.sink.robot;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Masks a robot's secrets (a token, a key, a signing secret, and the signatures made from them) in any text that may
 * be shown: an exception's message, a reply's error message, a URL. A robot sink passes everything it did not write
 * itself through {@link #scrub(String)} before it reaches a result, a log line or a {@code toString()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Redactor {

    /** What a masked value reads as. */
    public static final String MASK = "***";

    // a signature is derived from the secret: never worth showing, in a query or a JSON body
    private static final Pattern SIGN_PARAMETER = Pattern.compile("sign=[^&\\s]*");
    private static final Pattern SIGN_FIELD = Pattern.compile("(\"sign\"\\s*:\\s*\")[^\"]*\"");

    private final List<String> hidden;

    private Redactor(List<String> hidden) {
        this.hidden = hidden;
    }

    /**
     * A redactor of {@code secrets}: each is masked as given and URL-encoded. Blank values are ignored; longer
     * values are masked first, so that a secret holding another is masked whole.
     */
    public static Redactor of(Collection<String> secrets) {
        List<String> hidden = new ArrayList<>();
        for (String secret : secrets) {
            Objects.requireNonNull(secret, "secret");
            if (!secret.isBlank()) {
                hidden.add(secret);
                hidden.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            }
        }
        hidden.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return new Redactor(List.copyOf(hidden));
    }

    /** {@code text} with every form of the secrets, and any {@code sign} value, masked; "" for null. */
    public String scrub(String text) {
        if (text == null) {
            return "";
        }
        String result = text;
        for (String value : hidden) {
            result = result.replace(value, MASK);
        }
        result = SIGN_PARAMETER.matcher(result).replaceAll("sign=" + MASK);
        return SIGN_FIELD.matcher(result).replaceAll("$1" + MASK + "\"");
    }

    /** The SHA-256 of {@code text}, in hex: a robot's key in the rate budgets, irreversible. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A short fingerprint of {@code secret} (8 hex digits of its SHA-256), to tell robots apart in logs. */
    public static String fingerprint(String secret) {
        return sha256(secret).substring(0, 8);
    }

    @Override
    public String toString() {
        return "Redactor[" + hidden.size() / 2 + " secret(s), not shown]";
    }
}
