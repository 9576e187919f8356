package io.logalert.aggregate;

/**
 * Replaces the variable parts of a log line with {@code <*>}: every piece of text that holds a digit (numbers signed,
 * decimal or hex, UUIDs, IPv4 and IPv6 addresses with ports, dates and times, durations and sizes such as
 * {@code 250ms}, versions, and ids glued to words: {@code user42}, {@code blk_-17}, {@code t3.example.com:443}),
 * e-mail addresses, URLs, file paths and quoted values. A piece is a white-space separated token, split further at
 * structural delimiters ({@code key=value}, {@code f(x)}, lists), so {@code uid=0} becomes {@code uid=<*>}. Runs of
 * white space become one space.
 *
 * <p>One pass over the characters: each white-space separated token is classified by scanning its characters, never
 * with a regular expression, because this sits on the hot path of every record. The rules are about the shape of
 * text, not about any system's vocabulary.
 */
final class MessageMasker {

    /** What a masked part becomes. */
    static final String WILDCARD = "<*>";

    /** Longest quoted value masked as one; a longer "quote" is more likely prose. */
    private static final int MAX_QUOTED = 256;

    private MessageMasker() {
    }

    /** {@code text} with its variable parts masked. */
    static String mask(CharSequence text) {
        return mask(text, 0, text.length());
    }

    /** The characters {@code [from, to)} of {@code text} with their variable parts masked. */
    static String mask(CharSequence text, int from, int to) {
        return mask(text, from, to, false);
    }

    /**
     * The characters {@code [from, to)} of {@code text} with their variable parts masked; when {@code keepWords}, the
     * word around a short digit run stays ({@code wl0} becomes {@code wl<*>}, not {@code <*>}; but a piece whose parts
     * are joined by {@code . : / @}, such as {@code t1.example.com}, is a value whole) and a quoted single word stays, for a caller that learns which words vary (the template miner) rather than guess it.
     */
    static String mask(CharSequence text, int from, int to, boolean keepWords) {
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                while (i < to && isSpace(text.charAt(i))) {
                    i++;
                }
                if (out.length() > 0 && i < to) {
                    out.append(' ');
                }
                continue;
            }
            if (isQuote(c)) {
                int close = closingQuote(text, i + 1, to, c);
                if (close > 0 && (!keepWords || hasSpace(text, i + 1, close))) {
                    out.append(c).append(WILDCARD).append(c);
                    i = close + 1;
                    continue;
                }
            }
            int end = i;
            while (end < to && !isSpace(text.charAt(end))) {
                end++;
            }
            maskToken(text, i, end, out, keepWords);
            i = end;
        }
        return out.toString();
    }

    private static void maskToken(CharSequence text, int from, int to, StringBuilder out, boolean keepWords) {
        int start = from;
        while (start < to && isOpening(text.charAt(start))) {
            out.append(text.charAt(start++));
        }
        int end = to;
        while (end > start && isTrailing(text.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            // one cheap scan decides whether the costlier shape tests can match at all
            boolean colon = false;
            boolean at = false;
            for (int i = start; i < end; i++) {
                char c = text.charAt(i);
                colon |= c == ':';
                at |= c == '@';
            }
            if ((colon && isUrl(text, start, end)) || (at && isEmail(text, start, end)) || isPath(text, start, end)) {
                out.append(WILDCARD);
            } else {
                maskPieces(text, start, end, out, keepWords);
            }
        }
        for (int i = end; i < to; i++) {
            out.append(text.charAt(i));
        }
    }

    /** Splits a token at structural delimiters ({@code key=value}, {@code f(x)}, lists) and masks each piece. */
    private static void maskPieces(CharSequence text, int from, int to, StringBuilder out, boolean keepWords) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || isDelimiter(text.charAt(i))) {
                maskPiece(text, start, i, out, keepWords);
                if (i < to) {
                    out.append(text.charAt(i));
                }
                start = i + 1;
            }
        }
    }

    /** A piece with a digit is a value: a number, an id, a version, a host or a hex string, whatever glues to it. */
    private static void maskPiece(CharSequence text, int from, int to, StringBuilder out, boolean keepWords) {
        int digitRuns = 0;
        boolean word = false;
        boolean joined = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                if (i == from || !isDigit(text.charAt(i - 1))) {
                    digitRuns++;
                }
            } else if (isLetter(c) && !isHexLetter(c) && !(c == 'x' && i == from + 1)) {
                word = true;
            } else if (c == '.' || c == ':' || c == '/' || c == '@') {
                joined = true;
            }
        }
        if (digitRuns == 0) {
            if (isCalendarWord(text, from, to)) {
                out.append(WILDCARD);
            } else {
                out.append(text, from, to);
            }
        } else if (!keepWords || !word || digitRuns > 1 || joined) {
            // parts joined by dots, colons or slashes around a number are a host, an address or a qualified id
            out.append(WILDCARD);
        } else {
            maskDigitRuns(text, from, to, out);
        }
    }

    /** {@code wl0} → {@code wl<*>}, {@code blk_-17} → {@code blk_<*>}, {@code IO80211Family} → {@code IO<*>Family}. */
    private static void maskDigitRuns(CharSequence text, int from, int to, StringBuilder out) {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            boolean sign = (c == '-' || c == '+') && i + 1 < to && isDigit(text.charAt(i + 1))
                    && (i == from || !Character.isLetterOrDigit(text.charAt(i - 1)));
            if (isDigit(c) || sign) {
                i++;
                while (i < to && isDigit(text.charAt(i))) {
                    i++;
                }
                out.append(WILDCARD);
            } else {
                out.append(c);
                i++;
            }
        }
    }

    private static final String CALENDAR_WORDS = "JanFebMarAprMayJunJulAugSepOctNovDecMonTueWedThuFriSatSun";

    /** {@code Jul}, {@code Sun}: the English abbreviations of months and week days that C's time formats print. */
    private static boolean isCalendarWord(CharSequence text, int from, int to) {
        if (to - from != 3) {
            return false;
        }
        for (int i = 0; i < CALENDAR_WORDS.length(); i += 3) {
            if (CALENDAR_WORDS.charAt(i) == text.charAt(from) && CALENDAR_WORDS.charAt(i + 1) == text.charAt(from + 1)
                    && CALENDAR_WORDS.charAt(i + 2) == text.charAt(from + 2)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSpace(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (isSpace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHexLetter(char c) {
        return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isUrl(CharSequence text, int from, int to) {
        for (int i = from + 1; i + 2 < to; i++) {
            if (text.charAt(i) == ':' && text.charAt(i + 1) == '/' && text.charAt(i + 2) == '/') {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmail(CharSequence text, int from, int to) {
        int at = -1;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            } else if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '+')) {
                return false;
            }
        }
        if (at <= from) {
            return false;
        }
        for (int i = at + 2; i < to - 1; i++) {
            if (text.charAt(i) == '.') {
                return true;
            }
        }
        return false;
    }

    /** {@code /var/log/x.log}, {@code ./conf}, {@code ~/a}, {@code C:\dir}: a path with at least two parts. */
    private static boolean isPath(CharSequence text, int from, int to) {
        char first = text.charAt(from);
        if (to - from >= 3 && Character.isLetter(first) && text.charAt(from + 1) == ':'
                && text.charAt(from + 2) == '\\') {
            return true;
        }
        int start = from;
        if (first == '~' || first == '.') {
            while (start < to && (text.charAt(start) == '.' || text.charAt(start) == '~')) {
                start++;
            }
            if (start == to || text.charAt(start) != '/' || start - from > 2) {
                return false;
            }
        } else if (first != '/') {
            return false;
        }
        for (int i = start + 1; i < to - 1; i++) {
            if (text.charAt(i) == '/' && text.charAt(i - 1) != '/') {
                return true;
            }
        }
        return start > from && start + 1 < to;
    }

    private static int closingQuote(CharSequence text, int from, int to, char quote) {
        int limit = Math.min(to, from + MAX_QUOTED);
        for (int i = from; i < limit; i++) {
            if (text.charAt(i) == quote) {
                // a closing quote ends a word: it is not the apostrophe of "don't"
                boolean endsWord = i + 1 == to || !Character.isLetterOrDigit(text.charAt(i + 1));
                return i > from && endsWord ? i : -1;
            }
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        char lower = (char) (c | 0x20);
        return c < 128 ? lower >= 'a' && lower <= 'z' : Character.isLetter(c);
    }

    // Character classes by table: these tests run for every character of every record.
    private static final byte SPACE = 1;
    private static final byte QUOTE = 2;
    private static final byte OPENING = 4;
    private static final byte TRAILING = 8;
    private static final byte DELIMITER = 16;
    private static final byte[] CLASSES = new byte[128];

    static {
        mark(SPACE, " \t\r\n\f");
        mark(QUOTE, "\"'`");
        mark(OPENING, "([{<\"'");
        mark(TRAILING, ")]}>,;:.!?\"'");
        mark(DELIMITER, "=,;()[]{}<>|\"'");
    }

    private static void mark(byte kind, String chars) {
        for (int i = 0; i < chars.length(); i++) {
            CLASSES[chars.charAt(i)] |= kind;
        }
    }

    private static boolean is(char c, byte kind) {
        return c < 128 && (CLASSES[c] & kind) != 0;
    }

    private static boolean isSpace(char c) {
        return c < 128 ? (CLASSES[c] & SPACE) != 0 : c == '\u00a0' || c == '\u3000';
    }

    private static boolean isQuote(char c) {
        return is(c, QUOTE);
    }

    private static boolean isOpening(char c) {
        return is(c, OPENING);
    }

    private static boolean isTrailing(char c) {
        return is(c, TRAILING);
    }

    private static boolean isDelimiter(char c) {
        return is(c, DELIMITER);
    }
}
