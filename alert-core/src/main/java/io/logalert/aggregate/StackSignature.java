package io.logalert.aggregate;

import io.logalert.LogEvent;

/**
 * What tells stack traces apart: the exception type and the top frames, without line numbers. Two traces of the same
 * failure thrown from the same code share a signature even when they were logged with other ids or from other lines
 * of the same methods; a different exception, or the same one thrown elsewhere, does not.
 */
final class StackSignature {

    /** Frames that take part; deeper frames tell callers apart, not errors. */
    static final int TOP_FRAMES = 3;

    /** Characters of a trace read for its frames; a hostile trace costs no more than a long one. */
    static final int SCAN_LIMIT = 8_192;

    private StackSignature() {
    }

    /**
     * The signature of {@code event}: its exception type and top frames ({@code at …}) taken from the stack trace
     * field, or from the lines of the message after the first when that field is empty; empty for a one-line message
     * without a stack trace field.
     */
    static String of(LogEvent event) {
        String trace = event.stackTrace();
        int from = 0;
        if (trace.isEmpty()) {
            trace = event.message();
            from = firstLineEnd(trace);
            if (blankFrom(trace, from)) {
                // one line: whatever exception it names is among its own tokens already
                return "";
            }
        }
        String type = ExceptionType.of(event);
        StringBuilder signature = new StringBuilder(type.length() + 128).append(type);
        int limit = Math.min(trace.length(), from + SCAN_LIMIT);
        if (limit < trace.length()) {
            // indexOf below must not read past the limit: a huge trace costs no more than a long one
            trace = trace.substring(0, limit);
        }
        int frames = 0;
        int i = from;
        while (frames < TOP_FRAMES) {
            // String.indexOf is vectorised: it skips the exception's message and the file and line of each frame
            int at = trace.indexOf("at ", i);
            if (at < 0 || at + 3 >= limit) {
                break;
            }
            i = at + 1;
            if (!startsLine(trace, from, at) || isLineBreak(trace.charAt(at + 3))) {
                continue;
            }
            int end = at + 3;
            // the method, not the file and line: another line of the same method is the same failure
            while (end < limit && trace.charAt(end) != '(' && !isLineBreak(trace.charAt(end))) {
                end++;
            }
            appendFrame(trace, at + 3, end, signature.append('\n'));
            frames++;
            i = end;
        }
        return signature.toString();
    }

    /**
     * Appends the frame {@code text[from, to)} with every part that holds a digit masked, parts being what dots,
     * dollar signs, slashes, colons and blanks separate: {@code Orders.lambda$retry$0} → {@code Orders.lambda$retry$<*>},
     * {@code Foo$1.run} → {@code Foo$<*>.run}, a hidden class's address → {@code <*>}, {@code app.js:10:5} →
     * {@code app.js:<*>:<*>}. The names stay: masking such a frame whole, as a line's masker masks a qualified id with
     * a digit, would make every lambda of every class the same frame. Blanks become one space.
     */
    private static void appendFrame(String text, int from, int to, StringBuilder out) {
        int i = from;
        while (i < to && !isDigit(text.charAt(i)) && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == to) {
            // most frames: names only, appended in one go
            out.append(text, from, to);
            return;
        }
        int start = out.length();
        int part = from;
        boolean digit = false;
        for (i = from; i <= to; i++) {
            char c = i < to ? text.charAt(i) : ' ';
            boolean blank = Character.isWhitespace(c);
            if (blank || c == '.' || c == '$' || c == '/' || c == ':') {
                if (digit) {
                    out.append(MessageMasker.WILDCARD);
                } else {
                    out.append(text, part, i);
                }
                if (!blank) {
                    out.append(c);
                } else if (i < to && out.length() > start && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
                part = i + 1;
                digit = false;
            } else {
                digit |= isDigit(c);
            }
        }
        if (out.length() > start && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether only blanks stand between the start of the line of {@code at} (or {@code from}) and it. */
    private static boolean startsLine(String text, int from, int at) {
        int i = at;
        while (i > from) {
            char c = text.charAt(i - 1);
            if (isLineBreak(c)) {
                return true;
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
            i--;
        }
        return true;
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }

    /** Whether nothing but white space follows {@code from}: a line break at the end does not start a trace. */
    private static boolean blankFrom(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first line break of {@code text} after its leading blanks, or its length. */
    private static int firstLineEnd(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        // String.indexOf is vectorised; a loop over charAt is not. A '\r' counts only before the first '\n', and
        // looking for it past that could read a whole stack trace.
        int newline = text.indexOf('\n', i);
        if (newline < 0) {
            int cr = text.indexOf('\r', i);
            return cr < 0 ? text.length() : cr;
        }
        for (int j = i; j < newline; j++) {
            if (text.charAt(j) == '\r') {
                return j;
            }
        }
        return newline;
    }
}
