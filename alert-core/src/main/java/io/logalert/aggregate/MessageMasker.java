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

    /**
     * {@code end}, or {@code start + max} when that is smaller, moved back by one when the cut would split a surrogate
     * pair: keys must stay well-formed text for sinks and stores.
     */
    static int cutAt(CharSequence text, int start, int end, int max) {
        if (end - start <= max) {
            return end;
        }
        int cut = start + max;
        return Character.isHighSurrogate(text.charAt(cut - 1)) ? cut - 1 : cut;
    }

    /** Characters of a first line that take part in a key; the rest rarely tells errors apart. */
    static final int MAX_FIRST_LINE_CHARS = 1_000;

    /**
     * The first line of {@code message} after its leading blanks, at most {@link #MAX_FIRST_LINE_CHARS} of it,
     * masked.
     */
    static String maskFirstLine(String message, boolean keepWords) {
        int start = 0;
        while (start < message.length() && Character.isWhitespace(message.charAt(start))) {
            start++;
        }
        int end = cutAt(message, start, StackSignature.firstLineEnd(message), MAX_FIRST_LINE_CHARS);
        return mask(message, start, end, keepWords);
    }

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
        // text[copied, i) is output as it is; it is appended in one go when something else must be written, because
        // most of a line stays and appending it char by char was a large part of the cost
        int copied = from;
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                int run = i;
                while (i < to && isSpace(text.charAt(i))) {
                    i++;
                }
                // one plain space between two tokens stays as it is; a token came before it when it does not start
                // the range, since every token writes something
                if (i - run != 1 || c != ' ' || run == from || i == to) {
                    copied = flush(text, copied, run, out);
                    if (out.length() > 0 && i < to) {
                        out.append(' ');
                    }
                    copied = i;
                }
                continue;
            }
            if (isQuote(c)) {
                int close = closingQuote(text, i + 1, to, c);
                if (close > 0 && (!keepWords || hasSpace(text, i + 1, close))) {
                    // both quotes stay: the opening one is flushed, the closing one is copied with what follows
                    flush(text, copied, i + 1, out);
                    out.append(WILDCARD);
                    copied = close;
                    i = close + 1;
                    continue;
                }
            }
            int end = i;
            while (end < to && !isSpace(text.charAt(end))) {
                end++;
            }
            copied = maskToken(text, i, end, out, keepWords, copied);
            i = end;
        }
        flush(text, copied, to, out);
        return out.toString();
    }

    /** Appends {@code text[copied, upTo)} and returns {@code upTo}: the new start of the text to copy as it is. */
    private static int flush(CharSequence text, int copied, int upTo, StringBuilder out) {
        if (upTo > copied) {
            out.append(text, copied, upTo);
        }
        return upTo;
    }

    /** Masks one white-space separated token; returns where the text still to be copied as it is now starts. */
    private static int maskToken(CharSequence text, int from, int to, StringBuilder out, boolean keepWords,
            int copied) {
        // opening and trailing punctuation stays: it is left in the text to copy
        int start = from;
        while (start < to && isOpening(text.charAt(start))) {
            start++;
        }
        int end = to;
        while (end > start && isTrailing(text.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return copied;
        }
        // a path is told by its first characters, so this test is cheap for any other token
        if (isPath(text, start, end)) {
            flush(text, copied, start, out);
            out.append(WILDCARD);
            return end;
        }
        return maskPieces(text, start, end, out, keepWords, copied);
    }

    /**
     * Splits a token at structural delimiters ({@code key=value}, {@code f(x)}, lists) and masks each piece, in one
     * scan that gathers what a piece's verdict needs and also notices a URL or an e-mail address, which is a value
     * whole: then what was written for the token is taken back.
     */
    private static int maskPieces(CharSequence text, int from, int to, StringBuilder out, boolean keepWords,
            int copied) {
        int outMark = out.length();
        int copiedMark = copied;
        boolean at = false;
        int pieceStart = from;
        int digitRuns = 0;
        int firstDigit = -1;
        int digitEnd = -1;
        boolean word = false;
        boolean joined = false;
        for (int i = from; i <= to; i++) {
            int kind;
            char c = 0;
            if (i == to) {
                kind = DELIMITER;
            } else {
                c = text.charAt(i);
                kind = c < 128 ? CLASSES[c] : Character.isLetter(c) ? WORD : 0;
            }
            if ((kind & DELIMITER) != 0) {
                // the verdict on the piece [pieceStart, i), the rules of a piece with a digit being a value
                if (digitRuns == 0) {
                    if (isCalendarWord(text, pieceStart, i)) {
                        flush(text, copied, pieceStart, out);
                        out.append(WILDCARD);
                        copied = i;
                    }
                } else if (!keepWords || !word || digitRuns > 1 || joined) {
                    // parts joined by dots, colons or slashes around a number are a host, an address or a
                    // qualified id
                    flush(text, copied, pieceStart, out);
                    out.append(WILDCARD);
                    copied = i;
                } else {
                    copied = maskDigitRun(text, pieceStart, firstDigit, digitEnd, out, copied);
                }
                pieceStart = i + 1;
                digitRuns = 0;
                word = false;
                joined = false;
            } else if ((kind & DIGIT) != 0) {
                if (digitEnd != i) {
                    digitRuns++;
                    firstDigit = i;
                }
                digitEnd = i + 1;
            } else if ((kind & WORD) != 0) {
                // the x of 0x7f is no word
                word |= c != 'x' || i != pieceStart + 1;
            } else if ((kind & JOINER) != 0) {
                joined = true;
                if (c == ':') {
                    if (i > from && i + 2 < to && text.charAt(i + 1) == '/' && text.charAt(i + 2) == '/') {
                        return maskWhole(text, from, to, out, outMark, copiedMark);
                    }
                } else if (c == '@') {
                    at = true;
                }
            }
        }
        if (at && isEmail(text, from, to)) {
            return maskWhole(text, from, to, out, outMark, copiedMark);
        }
        return copied;
    }

    /** Takes back what was written for the token {@code [from, to)} and masks it whole. */
    private static int maskWhole(CharSequence text, int from, int to, StringBuilder out, int outMark,
            int copiedMark) {
        out.setLength(outMark);
        flush(text, copiedMark, from, out);
        out.append(WILDCARD);
        return to;
    }

    /**
     * The one digit run {@code [firstDigit, digitEnd)} of a piece masked, with its sign unless that follows a letter
     * or digit: {@code wl0} → {@code wl<*>}, {@code blk_-17} → {@code blk_<*>}, {@code IO80211Family} →
     * {@code IO<*>Family}.
     */
    private static int maskDigitRun(CharSequence text, int from, int firstDigit, int digitEnd, StringBuilder out,
            int copied) {
        int start = firstDigit;
        if (firstDigit > from) {
            char sign = text.charAt(firstDigit - 1);
            if ((sign == '-' || sign == '+')
                    && (firstDigit - 1 == from || !Character.isLetterOrDigit(text.charAt(firstDigit - 2)))) {
                start = firstDigit - 1;
            }
        }
        flush(text, copied, start, out);
        out.append(WILDCARD);
        return digitEnd;
    }

    private static final String CALENDAR_WORDS = "JanFebMarAprMayJunJulAugSepOctNovDecMonTueWedThuFriSatSun";

    /** {@code Jul}, {@code Sun}: the English abbreviations of months and week days that C's time formats print. */
    private static boolean isCalendarWord(CharSequence text, int from, int to) {
        // every one starts with a capital letter: most three-letter words are out at once
        if (to - from != 3 || text.charAt(from) < 'A' || text.charAt(from) > 'Z') {
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

    // Character classes by table: these tests run for every character of every record.
    private static final int SPACE = 1;
    private static final int QUOTE = 2;
    private static final int OPENING = 4;
    private static final int TRAILING = 8;
    private static final int DELIMITER = 16;
    private static final int DIGIT = 32;
    /** A letter that is not a hex digit: a piece holding one is a word, not just a hex number. */
    private static final int WORD = 64;
    /** What joins the parts of a host, an address or a qualified id. */
    private static final int JOINER = 128;
    private static final int[] CLASSES = new int[128];

    static {
        mark(SPACE, " \t\r\n\f");
        mark(QUOTE, "\"'`");
        mark(OPENING, "([{<\"'");
        mark(TRAILING, ")]}>,;:.!?\"'");
        mark(DELIMITER, "=,;()[]{}<>|\"'");
        mark(DIGIT, "0123456789");
        mark(WORD, "ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ");
        mark(JOINER, ".:/@");
    }

    private static void mark(int kind, String chars) {
        for (int i = 0; i < chars.length(); i++) {
            CLASSES[chars.charAt(i)] |= kind;
        }
    }

    private static boolean is(char c, int kind) {
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
}
