package io.logalert.config;

import java.util.Locale;

/**
 * Which plug-in keys hold secrets: those the shipped plug-ins read with {@code ConfigValidator.secret()}
 * ({@code access-token}, {@code secret}, {@code webhook}, which holds the token, {@code password}, {@code api-key},
 * the webhook sink's {@code headers.*}, whose values are credentials more often than not), and, for plug-ins of
 * others, any key whose name says it is one. Their values are shown as {@code ***}.
 */
public final class Secrets {

    public static final String MASK = "***";

    private static final String[] WORDS = {"token", "secret", "password", "passwd", "api-key", "apikey", "webhook",
            "credential", "private-key", "header"};

    private Secrets() {
    }

    public static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        if (name.equals("key")) {
            // a WeCom robot's key, its only credential ("keywords" and the like are not secrets)
            return true;
        }
        for (String word : WORDS) {
            if (name.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
