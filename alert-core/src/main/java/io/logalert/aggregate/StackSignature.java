package io.logalert.aggregate;

import io.logalert.LogEvent;

/**
 * What tells stack traces apart: the exception type and the top frames, without line numbers, and the root cause (the
 * last {@code Caused by:}) with its top frame. Two traces of the same failure thrown from the same code share a
 * signature even when they were logged with other ids or from other lines of the same methods; a different exception,
 * the same one thrown elsewhere, or the same one caused by something else (a timeout rather than a refused
 * connection under the same wrapper) does not.
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
        return of(event, null);
    }

    /**
     * Where the messages of a record's exception and of its root cause stand: {@code text[topFrom, topTo)} and
     * {@code text[rootFrom, rootTo)}, empty ranges when there is none. Filled by {@link #of(LogEvent, Messages)}; one
     * per caller, reused for every record, so that reading them costs no copy.
     */
    static final class Messages {
        /** Where the signature is built: one builder for every record rather than one allocated for each. */
        final StringBuilder signature = new StringBuilder(256);
        String text = "";
        int topFrom;
        int topTo;
        int rootFrom;
        int rootTo;

        boolean isEmpty() {
            return topFrom == topTo && rootFrom == rootTo;
        }
    }

    /**
     * {@link #of(LogEvent)}, and with {@code messages} not null, where the messages of the exception and of its root
     * cause stand (the text after {@code Type: } on their lines, at most {@link #MAX_MESSAGE_CHARS} of each): the top
     * one on the first line of the trace, the root cause's on that of the last {@code Caused by:}. An exception type
     * tells little on its own: one {@code IllegalStateException} reads "order already shipped", another "cart is
     * empty", and these are two errors.
     */
    static String of(LogEvent event, Messages messages) {
        if (messages != null) {
            messages.text = "";
            messages.topFrom = messages.topTo = messages.rootFrom = messages.rootTo = 0;
        }
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
        StringBuilder signature;
        if (messages == null) {
            signature = new StringBuilder(type.length() + 128);
        } else {
            signature = messages.signature;
            signature.setLength(0);
        }
        signature.append(type);
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
            // the method, not the file and line: another line of the same method is the same failure. The same
            // loop tells whether the frame holds a digit or a blank, so that a frame of names only, most of them, is
            // appended without reading it again.
            int seen = 0;
            while (end < limit) {
                char c = trace.charAt(end);
                int kind = c < 128 ? FRAME_CHARS[c] : Character.isWhitespace(c) ? NUMBERED_OR_BLANK : 0;
                if ((kind & FRAME_END) != 0) {
                    break;
                }
                seen |= kind;
                end++;
            }
            if (seen == 0) {
                signature.append('\n').append(trace, at + 3, end);
            } else {
                appendFrame(trace, at + 3, end, signature.append('\n'));
            }
            frames++;
            i = end;
        }
        int cause = appendRootCause(trace, from, signature);
        if (messages != null) {
            messages.text = trace;
            int first = from;
            while (first < limit && Character.isWhitespace(trace.charAt(first))) {
                first++;
            }
            if (!trace.startsWith("at ", first)) {
                long top = messageOf(trace, first, limit);
                messages.topFrom = (int) (top >>> 32);
                messages.topTo = (int) top;
            }
            if (cause >= 0) {
                long root = messageOf(trace, cause + CAUSED_BY.length(), limit);
                messages.rootFrom = (int) (root >>> 32);
                messages.rootTo = (int) root;
            }
        }
        return signature.toString();
    }

    /** What starts the line of a cause in a Java stack trace. */
    static final String CAUSED_BY = "Caused by: ";

    /**
     * Appends the last {@code Caused by:} of {@code trace} (read up to its scan limit), its type and first frame, and
     * returns where it starts, or -1:
     * {@code \nCaused by: java.net.SocketTimeoutException\njava.net.SocketInputStream.read}. The wrappers of a
     * framework tell little; the root cause tells what went wrong. Nothing when the trace has no cause.
     */
    private static int appendRootCause(String trace, int from, StringBuilder signature) {
        // forwards: String.indexOf is vectorised, lastIndexOf is not, and most traces have no cause at all
        int cause = -1;
        for (int next = trace.indexOf(CAUSED_BY, from); next >= 0; next = trace.indexOf(CAUSED_BY, next + 1)) {
            if (startsLine(trace, from, next)) {
                cause = next;
            }
        }
        if (cause < 0) {
            return -1;
        }
        int start = cause + CAUSED_BY.length();
        int end = start;
        // the type, not its message: the message carries the ids of the moment
        while (end < trace.length() && trace.charAt(end) != ':' && !Character.isWhitespace(trace.charAt(end))) {
            end++;
        }
        if (end == start) {
            return -1;
        }
        appendFrame(trace, start, end, signature.append('\n').append(CAUSED_BY));
        int at = trace.indexOf("at ", end);
        while (at >= 0 && !startsLine(trace, from, at)) {
            at = trace.indexOf("at ", at + 1);
        }
        if (at < 0) {
            return cause;
        }
        int frameEnd = at + 3;
        while (frameEnd < trace.length() && trace.charAt(frameEnd) != '(' && !isLineBreak(trace.charAt(frameEnd))) {
            frameEnd++;
        }
        if (frameEnd > at + 3) {
            appendFrame(trace, at + 3, frameEnd, signature.append('\n'));
        }
        return cause;
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
            // names only, appended in one go: the root cause's type and frame come here unscanned (the top frames
            // do not, their scan already sent those of names only to the caller's own fast path)
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

    /** Characters of an exception's message that take part in a key. */
    static final int MAX_MESSAGE_CHARS = 300;

    /**
     * Where the text after {@code Type: } on the line that starts at {@code from} starts (high 32 bits) and ends (low
     * 32 bits); an empty range when the line has no such text.
     */
    private static long messageOf(String trace, int from, int limit) {
        int i = from;
        // the type: a name without blanks, then ": "
        while (i < limit && !Character.isWhitespace(trace.charAt(i)) && trace.charAt(i) != ':') {
            i++;
        }
        if (i == from || i + 1 >= limit || trace.charAt(i) != ':' || trace.charAt(i + 1) != ' ') {
            return 0;
        }
        int start = i + 2;
        // the line is read no further than the part kept: a message may be a whole document on one line
        int end = MessageMasker.lineEnd(trace, start, Math.min(limit, start + MAX_MESSAGE_CHARS + 1));
        end = MessageMasker.cutAt(trace, start, end, MAX_MESSAGE_CHARS);
        return (long) start << 32 | end;
    }

    /** {@link #FRAME_CHARS}: what ends a frame's method ({@code (} or a line break). */
    private static final int FRAME_END = 1;
    /** {@link #FRAME_CHARS}: what {@link #appendFrame} masks or folds (a digit, white space). */
    private static final int NUMBERED_OR_BLANK = 2;
    /** The ASCII characters by their part in a frame, as {@link #isLineBreak}, {@link #isDigit} and Character say. */
    private static final int[] FRAME_CHARS = new int[128];

    static {
        for (char c = 0; c < 128; c++) {
            FRAME_CHARS[c] = (c == '(' || isLineBreak(c) ? FRAME_END : 0)
                    | (isDigit(c) || Character.isWhitespace(c) ? NUMBERED_OR_BLANK : 0);
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
