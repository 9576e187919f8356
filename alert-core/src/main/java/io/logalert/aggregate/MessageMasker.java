package io.logalert.aggregate;

/**
 * Replaces the variable parts of a log line with {@code <*>}: every piece of text that holds a digit (numbers signed,
 * decimal or hex, UUIDs, IPv4 and IPv6 addresses with ports, dates and times, durations and sizes such as
 * {@code 250ms}, versions, and ids glued to words: {@code user42}, {@code blk_-17}, {@code t3.example.com:443}),
 * e-mail addresses, URLs, file paths and quoted values. A piece is a white-space separated token, split further at
 * structural delimiters ({@code key=value}, {@code f(x)}, lists), so {@code uid=0} becomes {@code uid=<*>}. Runs of
 * white space become one space.
 *
 * <p>This sits on the hot path of every record, so it never uses a regular expression and is written for the branch
 * predictor: one loop reads the line and stops only at a character that may change something, so that words between
 * single spaces cost a table lookup each; a token around such a character is classified by or-ing its characters'
 * classes, and only a token with delimiters, or what a URL, a path or an address holds, is read piece by piece. The
 * rules are about the shape of text, not about any system's vocabulary.
 */
final class MessageMasker {

    /**
     * {@code end}, or {@code start + max} when that is smaller, moved back by one when the cut would split a surrogate
     * pair: keys must stay well-formed text for sinks and stores.
     */
    static int cutAt(String text, int start, int end, int max) {
        if (end - start <= max) {
            return end;
        }
        int cut = start + max;
        return Character.isHighSurrogate(text.charAt(cut - 1)) ? cut - 1 : cut;
    }

    /** Characters of a first line that take part in a key; the rest rarely tells errors apart. */
    static final int MAX_FIRST_LINE_CHARS = 1_000;

    /** Lines of a structured or bannered message taken together as its first line. */
    static final int MAX_INFORMATIVE_LINES = 5;

    /**
     * The first line of {@code message} after its leading blanks, at most {@link #MAX_FIRST_LINE_CHARS} of it,
     * masked; see {@link #maskFirstLine(String, boolean, StringBuilder)} for a first line without a word.
     */
    static String maskFirstLine(String message, boolean keepWords) {
        return maskFirstLine(message, keepWords, new StringBuilder());
    }

    /**
     * {@link #maskFirstLine(String, boolean)}, built in {@code scratch} (emptied first): a caller that masks every
     * record reuses one builder rather than allocate one per record.
     *
     * <p>A first line that holds no letter once masked ({@code {} of a pretty-printed JSON document, {@code ---}, a
     * banner of stars, a bare number) tells nothing about the error: every such message would be one kind. Then the
     * lines without a letter are skipped and the next lines that hold one, up to the next line without a letter and
     * at most {@link #MAX_INFORMATIVE_LINES} of them, are masked and joined by a space in its place.
     */
    static String maskFirstLine(String message, boolean keepWords, StringBuilder scratch) {
        maskFirstLineInto(message, keepWords, scratch);
        return scratch.toString();
    }

    /** {@link #maskFirstLine(String, boolean, StringBuilder)}, left in {@code scratch}. */
    static void maskFirstLineInto(String message, boolean keepWords, StringBuilder scratch) {
        int start = 0;
        while (start < message.length() && Character.isWhitespace(message.charAt(start))) {
            start++;
        }
        int to = cutAt(message, start, message.length(), MAX_FIRST_LINE_CHARS);
        scratch.setLength(0);
        // the masking stops at the first line break itself: finding it first would read the line once more
        mask(message, start, to, keepWords, true, scratch);
        if (!hasLetter(scratch)) {
            maskInformativeLines(message, start, keepWords, scratch);
        }
    }

    /** Appends {@code text[from, to)} masked as {@link #mask(String, int, int, boolean)} masks it to {@code out}. */
    static void maskInto(String text, int from, int to, boolean keepWords, StringBuilder out) {
        mask(text, from, to, keepWords, false, out);
    }

    /** The slow path of {@link #maskFirstLine(String, boolean, StringBuilder)}: its first line held no letter. */
    private static void maskInformativeLines(String message, int start, boolean keepWords, StringBuilder scratch) {
        String firstLine = scratch.toString();
        StringBuilder joined = new StringBuilder();
        int taken = 0;
        int line = start;
        int budget = MAX_FIRST_LINE_CHARS;
        while (line < message.length() && budget > 0) {
            int end = lineEnd(message, line, message.length());
            int to = cutAt(message, line, end, budget);
            budget -= to - line;
            scratch.setLength(0);
            mask(message, line, to, keepWords, false, scratch);
            if (hasLetter(scratch)) {
                if (joined.length() > 0) {
                    joined.append(' ');
                }
                joined.append(scratch);
                if (++taken == MAX_INFORMATIVE_LINES) {
                    break;
                }
            } else if (taken > 0) {
                // the informative block ends where a line without a word closes it
                break;
            }
            line = end;
            while (line < message.length() && Character.isWhitespace(message.charAt(line))) {
                line++;
            }
        }
        scratch.setLength(0);
        scratch.append(taken == 0 ? firstLine : joined);
    }

    /** The index of the first line break of {@code text[from, to)}, or {@code to}. */
    static int lineEnd(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return to;
    }

    /** Whether {@code text} holds a letter; a masked line or a token almost always does in its first characters. */
    static boolean hasLetter(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isLetter(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** What a masked part becomes. */
    static final String WILDCARD = "<*>";

    /** Longest quoted value masked as one; a longer "quote" is more likely prose. */
    private static final int MAX_QUOTED = 256;

    private MessageMasker() {
    }

    /**
     * The characters {@code [from, to)} of {@code text} with their variable parts masked; when {@code keepWords}, the
     * word around a short digit run stays ({@code wl0} becomes {@code wl<*>}, not {@code <*>}; but a piece whose parts
     * are joined by {@code . : / @}, such as {@code t1.example.com}, is a value whole) and a quoted value keeps its
     * words, only its values masked, for a caller that learns which words vary (the template miner) rather than guess
     * it.
     */
    static String mask(String text, int from, int to, boolean keepWords) {
        StringBuilder out = new StringBuilder(to - from);
        mask(text, from, to, keepWords, false, out);
        return out.toString();
    }

    /**
     * Appends the characters {@code [from, to)} of {@code text} with their variable parts masked to {@code out}; with
     * {@code firstLine}, only those before the first {@code \n} or {@code \r}.
     */
    private static void mask(String text, int from, int to, boolean keepWords, boolean firstLine,
            StringBuilder out) {
        int outStart = out.length();
        // text[copied, i) is output as it is; it is appended in one go when something else must be written, because
        // most of a line stays and appending it char by char was a large part of the cost
        int copied = from;
        int i = from;
        // Most of a line is words between single spaces, which stay as they are. This loop only looks for the
        // characters that may change something (LOOK's STOP) and masks the token around one, so that its one branch
        // is rarely taken: ending a loop at every token's end costs a mispredicted jump per token. White space that
        // is more than one plain space, and a token that starts with a quote, are left to the loop after it.
        if (i < to && (classOf(text.charAt(i)) & SPACE) == 0) {
            int end = text.charAt(to - 1) == ' ' ? to - 1 : to;
            int previous = 0;
            while (i < end) {
                char c = text.charAt(i);
                int look = c < 128 ? LOOK[c] : (classOf(c) & SPACE) != 0 ? STOP : 0;
                if (((look & STOP) | (look & previous & PLAIN_SPACE)) == 0) {
                    previous = look;
                    i++;
                    continue;
                }
                if ((classOf(c) & SPACE) != 0) {
                    break;
                }
                int start = i;
                while (start > from && text.charAt(start - 1) != ' ') {
                    start--;
                }
                if ((classOf(text.charAt(start)) & QUOTE) != 0) {
                    i = start;
                    break;
                }
                // scanToken's loop, written out: returning its two results packed in a long cost this loop 15 %
                int classes = 0;
                int tokenEnd = start;
                while (tokenEnd < to) {
                    int next = classOf(text.charAt(tokenEnd));
                    if ((next & SPACE) != 0) {
                        break;
                    }
                    classes |= next;
                    tokenEnd++;
                }
                copied = maskToken(text, start, tokenEnd, classes, out, keepWords, copied);
                i = tokenEnd;
                previous = 0;
            }
            // the loop below starts where the white space before i does: plain spaces read as quiet may be part of it
            while (i > from && text.charAt(i - 1) == ' ') {
                i--;
            }
        }
        while (i < to) {
            char c = text.charAt(i);
            int kind = classOf(c);
            if ((kind & SPACE) != 0) {
                int run = i;
                while (i < to) {
                    char space = text.charAt(i);
                    if ((classOf(space) & SPACE) == 0) {
                        break;
                    }
                    if (firstLine && (space == '\n' || space == '\r')) {
                        // tokens never hold a line break, so nothing before it saw the text after it
                        to = i;
                        break;
                    }
                    i++;
                }
                // one plain space between two tokens stays as it is; a token came before it when it does not start
                // the range, since every token writes something
                if (i - run != 1 || c != ' ' || run == from || i == to) {
                    copied = flush(text, copied, run, out);
                    if (out.length() > outStart && i < to) {
                        out.append(' ');
                    }
                    copied = i;
                }
                continue;
            }
            if ((kind & QUOTE) != 0) {
                int close = closingQuote(text, i + 1, to, c, firstLine);
                // for the template miner, a quoted value keeps its words: in "GET /x HTTP/1.1" and
                // "DELETE /x HTTP/1.1" the verb is a constant that tells two kinds apart, and the miner learns from
                // the window which of its words vary
                if (close > 0 && !keepWords) {
                    // both quotes stay: the opening one is flushed, the closing one is copied with what follows
                    flush(text, copied, i + 1, out);
                    out.append(WILDCARD);
                    copied = close;
                    i = close + 1;
                    continue;
                }
            }
            long token = scanToken(text, i, to);
            copied = maskToken(text, i, (int) token, (int) (token >>> 32), out, keepWords, copied);
            i = (int) token;
            // one plain space before the next token, the common separator, stays as it is: stepped over here rather
            // than by the white space rules above
            if (i + 1 < to && text.charAt(i) == ' ' && (classOf(text.charAt(i + 1)) & SPACE) == 0) {
                i++;
            }
        }
        flush(text, copied, to, out);
    }

    /**
     * Where the token that starts at {@code from} ends (low 32 bits) and its characters' classes or-ed together (high
     * 32 bits), in one scan: a branch per character on its class costs a mispredicted jump every few letters (hex and
     * other letters alternate in words), an or does not.
     */
    private static long scanToken(String text, int from, int to) {
        int classes = 0;
        int end = from;
        while (end < to) {
            int kind = classOf(text.charAt(end));
            if ((kind & SPACE) != 0) {
                break;
            }
            classes |= kind;
            end++;
        }
        return (long) classes << 32 | end;
    }

    /**
     * Masks one white-space separated token whose character classes, or-ed together, are {@code classes}; returns
     * where the text still to be copied as it is now starts.
     */
    private static int maskToken(String text, int from, int to, int classes, StringBuilder out, boolean keepWords,
            int copied) {
        if ((classes & ~(WORD | TRAILING | JOINER)) == 0) {
            // Letters, inert signs and dots, the most common token (a word, a sentence's end, a qualified name): it
            // stays, unless what is left without trailing punctuation names a month or a day.
            int wordEnd = trimTrailing(text, from, to);
            if (isCalendarWord(text, from, wordEnd)) {
                flush(text, copied, from, out);
                out.append(WILDCARD);
                return wordEnd;
            }
            return copied;
        }
        if ((classes & ~(WORD | TRAILING | DIGIT)) == 0) {
            // a number, or an id such as u-42: one piece that holds a digit, the most common value
            return maskValuePiece(text, from, trimTrailing(text, from, to), out, keepWords, false, copied);
        }
        return maskMixedToken(text, from, to, out, keepWords, copied);
    }

    /** The end of {@code text[from, to)} without its trailing punctuation. */
    private static int trimTrailing(String text, int from, int to) {
        int end = to;
        while (end > from && isTrailing(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** Appends {@code text[copied, upTo)} and returns {@code upTo}: the new start of the text to copy as it is. */
    private static int flush(String text, int copied, int upTo, StringBuilder out) {
        if (upTo > copied) {
            out.append(text, copied, upTo);
        }
        return upTo;
    }

    /** {@link #maskToken} for a token that holds delimiters or what a path, a URL or an address holds. */
    private static int maskMixedToken(String text, int from, int to, StringBuilder out, boolean keepWords,
            int copied) {
        // opening and trailing punctuation stays: it is left in the text to copy
        int start = from;
        while (start < to && isOpening(text.charAt(start))) {
            start++;
        }
        int end = trimTrailing(text, start, to);
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
     * Splits a token at structural delimiters ({@code key=value}, {@code f(x)}, lists) and masks each piece. A URL or
     * an e-mail address is a value whole: then what was written for the token is taken back.
     */
    private static int maskPieces(String text, int from, int to, StringBuilder out, boolean keepWords,
            int copied) {
        int outMark = out.length();
        int copiedMark = copied;
        boolean at = false;
        int pieceStart = from;
        int classes = 0;
        for (int i = from; i <= to; i++) {
            int kind = i == to ? DELIMITER : classOf(text.charAt(i));
            if ((kind & DELIMITER) == 0) {
                classes |= kind;
                continue;
            }
            // the verdict on the piece [pieceStart, i), the rules of a piece with a digit being a value
            boolean joined = (classes & JOINER) != 0;
            if (joined) {
                for (int j = pieceStart; j < i; j++) {
                    char c = text.charAt(j);
                    if (c == ':' && j > from && j + 2 < to && text.charAt(j + 1) == '/'
                            && text.charAt(j + 2) == '/') {
                        return maskWhole(text, from, to, out, outMark, copiedMark);
                    }
                    at |= c == '@';
                }
            }
            if ((classes & DIGIT) == 0) {
                if (isCalendarWord(text, pieceStart, i)) {
                    flush(text, copied, pieceStart, out);
                    out.append(WILDCARD);
                    copied = i;
                }
            } else {
                copied = maskValuePiece(text, pieceStart, i, out, keepWords, joined, copied);
            }
            pieceStart = i + 1;
            classes = 0;
        }
        if (at && isEmail(text, from, to)) {
            return maskWhole(text, from, to, out, outMark, copiedMark);
        }
        return copied;
    }

    /**
     * Masks the piece {@code [from, to)}, which holds a digit: whole, or with {@code keepWords} only its digit run
     * when it is one word around one run ({@code wl0} → {@code wl<*>}). Parts joined by dots, colons or slashes
     * around a number are a host, an address or a qualified id: whole.
     */
    private static int maskValuePiece(String text, int from, int to, StringBuilder out, boolean keepWords,
            boolean joined, int copied) {
        int digitRuns = 0;
        int firstDigit = -1;
        int digitEnd = -1;
        boolean word = false;
        if (keepWords && !joined) {
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                int kind = classOf(c);
                if ((kind & DIGIT) != 0) {
                    if (digitEnd != i) {
                        digitRuns++;
                        firstDigit = i;
                    }
                    digitEnd = i + 1;
                } else if ((kind & WORD) != 0) {
                    // the x of 0x7f is no word
                    word |= c != 'x' || i != from + 1;
                }
            }
        }
        if (!word || digitRuns > 1) {
            flush(text, copied, from, out);
            out.append(WILDCARD);
            return to;
        }
        return maskDigitRun(text, from, firstDigit, digitEnd, out, copied);
    }

    /** Takes back what was written for the token {@code [from, to)} and masks it whole. */
    private static int maskWhole(String text, int from, int to, StringBuilder out, int outMark,
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
    private static int maskDigitRun(String text, int from, int firstDigit, int digitEnd, StringBuilder out,
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
    private static boolean isCalendarWord(String text, int from, int to) {
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

    private static boolean isEmail(String text, int from, int to) {
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
    private static boolean isPath(String text, int from, int to) {
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

    private static int closingQuote(String text, int from, int to, char quote, boolean firstLine) {
        int limit = Math.min(to, from + MAX_QUOTED);
        for (int i = from; i < limit; i++) {
            char c = text.charAt(i);
            if (firstLine && (c == '\n' || c == '\r')) {
                return -1;
            }
            if (c == quote) {
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
    /** What a URL, a path or an e-mail address holds and a word or a qualified name does not. */
    private static final int LINK = 256;
    private static final int[] CLASSES = new int[128];

    /**
     * {@link #STOP} marks the ASCII characters that may change something in the token that holds them: any class
     * but {@link #WORD}, and the first letters of month and day names. {@link #PLAIN_SPACE} marks the space, which
     * only matters next to another.
     */
    private static final int[] LOOK = new int[128];
    private static final int STOP = 1;
    private static final int PLAIN_SPACE = 2;

    static {
        mark(SPACE, " \t\r\n\f");
        mark(QUOTE, "\"'`");
        mark(OPENING, "([{<\"'");
        mark(TRAILING, ")]}>,;:.!?\"'");
        mark(DELIMITER, "=,;()[]{}<>|\"'");
        mark(DIGIT, "0123456789");
        mark(WORD, "ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ");
        mark(JOINER, ".:/@");
        mark(LINK, ":/@");
        for (int c = 0; c < 128; c++) {
            LOOK[c] = (CLASSES[c] & ~WORD) != 0 ? STOP : 0;
        }
        for (int i = 0; i < CALENDAR_WORDS.length(); i += 3) {
            LOOK[CALENDAR_WORDS.charAt(i)] = STOP;
        }
        LOOK[' '] = PLAIN_SPACE;
    }

    private static void mark(int kind, String chars) {
        for (int i = 0; i < chars.length(); i++) {
            CLASSES[chars.charAt(i)] |= kind;
        }
    }

    private static int classOf(char c) {
        if (c < 128) {
            return CLASSES[c];
        }
        return c == '\u00a0' || c == '\u3000' ? SPACE : Character.isLetter(c) ? WORD : 0;
    }

    private static boolean is(char c, int kind) {
        return c < 128 && (CLASSES[c] & kind) != 0;
    }

    private static boolean isSpace(char c) {
        return (classOf(c) & SPACE) != 0;
    }

    private static boolean isOpening(char c) {
        return is(c, OPENING);
    }

    private static boolean isTrailing(char c) {
        return is(c, TRAILING);
    }
}
