package io.logalert.aggregate;

import io.logalert.LogEvent;

/**
 * Finds the type of the exception a record reports: the first qualified class name ending in {@code Exception},
 * {@code Error} or {@code Throwable}, looked for in the stack trace field, then in the message. Only the start of
 * the text is scanned, so a hostile message costs no more than a short one.
 */
final class ExceptionType {

    private static final int SCAN_LIMIT = 4_096;

    private ExceptionType() {
    }

    /** The exception type of {@code event}, or the empty string. */
    static String of(LogEvent event) {
        String type = find(event.stackTrace());
        return type.isEmpty() ? find(event.message()) : type;
    }

    static String find(String text) {
        int limit = Math.min(text.length(), SCAN_LIMIT);
        // most records name no throwable: String.indexOf is far cheaper than the scan of names below
        String scanned = limit == text.length() ? text : text.substring(0, limit);
        if (scanned.indexOf("Exception") < 0 && scanned.indexOf("Error") < 0 && scanned.indexOf("Throwable") < 0) {
            return "";
        }
        int i = 0;
        while (i < limit) {
            while (i < limit && !isIdentifierStart(text.charAt(i))) {
                i++;
            }
            int start = i;
            int dots = 0;
            while (i < limit && (isIdentifierPart(text.charAt(i)) || text.charAt(i) == '.')) {
                if (text.charAt(i) == '.') {
                    dots++;
                }
                i++;
            }
            // a sentence may end right after the name: "failed with java.io.IOException."
            int end = i;
            while (end > start && text.charAt(end - 1) == '.') {
                end--;
                dots--;
            }
            if (dots > 0 && end > start && isThrowableName(text, start, end)) {
                return text.substring(start, end);
            }
            if (i == start) {
                i++;
            }
        }
        return "";
    }

    // Character's answers for ASCII, by table: a trace's type is read character by character for every record that
    // carries one, and Character.isJavaIdentifierPart goes through CharacterData for each
    private static final boolean[] IDENTIFIER_START = new boolean[128];
    private static final boolean[] IDENTIFIER_PART = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            IDENTIFIER_START[c] = Character.isJavaIdentifierStart(c);
            IDENTIFIER_PART[c] = Character.isJavaIdentifierPart(c);
        }
    }

    private static boolean isIdentifierStart(char c) {
        return c < 128 ? IDENTIFIER_START[c] : Character.isJavaIdentifierStart(c);
    }

    private static boolean isIdentifierPart(char c) {
        return c < 128 ? IDENTIFIER_PART[c] : Character.isJavaIdentifierPart(c);
    }

    private static boolean isThrowableName(String text, int start, int end) {
        return (endsWith(text, end, "Exception") || endsWith(text, end, "Error") || endsWith(text, end, "Throwable"))
                && (start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1)));
    }

    private static boolean endsWith(String text, int end, String suffix) {
        return end >= suffix.length() && text.startsWith(suffix, end - suffix.length());
    }
}
