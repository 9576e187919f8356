package io.logalert.runner;

import java.util.Locale;

/**
 * Which plug-in keys hold secrets: those the shipped plug-ins read with {@code ConfigValidator.secret()}
 * ({@code access-token}, {@code secret}, {@code webhook}, which holds the token, {@code password}, {@code api-key}),
 * and, for plug-ins of others, any key whose name says it is one. Their values are shown as {@code ***}.
 */
final class Secrets {

    static final String MASK = "***";

    private static final String[] WORDS = {"token", "secret", "password", "passwd", "api-key", "apikey", "webhook",
            "credential", "private-key"};

    private Secrets() {
    }

    static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        for (String word : WORDS) {
            if (name.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
