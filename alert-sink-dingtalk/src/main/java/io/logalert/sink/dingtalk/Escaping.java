package io.logalert.sink.dingtalk;

/**
 * Makes log text inert before it goes into a robot message. Log lines are written by whoever can make an
 * application log (a user name, a URL, a request body), so they must not be able to create links, images,
 * headings, HTML or {@code @}mentions in the chat.
 *
 * <p>DingTalk does not document backslash escapes for its markdown, so escaping by backslash could either work or
 * show stray backslashes. Instead the syntax characters are replaced by their full-width look-alikes, which read
 * the same to a person and mean nothing to the renderer; {@code ://} gets a look-alike slash so that a URL in a
 * log line is not turned into a link either.
 */
final class Escaping {

    private Escaping() {
    }

    /** {@code text} cut to {@code maxChars} characters (code points) and made inert for markdown. */
    static String markdown(String text, int maxChars) {
        return neutralize(truncate(text, maxChars), true);
    }

    /** {@code text} cut to {@code maxChars} characters (code points) and made inert for a text message. */
    static String plain(String text, int maxChars) {
        return neutralize(truncate(text, maxChars), false);
    }

    /** {@code text} cut to at most {@code maxChars} code points, ending with "…" when cut. */
    static String truncate(String text, int maxChars) {
        if (text.codePointCount(0, text.length()) <= maxChars) {
            return text;
        }
        int end = text.offsetByCodePoints(0, Math.max(0, maxChars - 1));
        return text.substring(0, end) + "…";
    }

    private static String neutralize(String text, boolean markdown) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                // one entry stays one line: a newline would let log text start a heading, quote or list
                out.append(' ');
            } else if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029
                    || Character.getType(cp) == Character.FORMAT) {
                // invisible characters (bidi overrides, zero-width joiners) could disguise text; drop them
                return;
            } else if (cp == '@') {
                out.append('＠');
            } else if (markdown) {
                out.append(switch (cp) {
                    case '[' -> "［";
                    case ']' -> "］";
                    case '<' -> "＜";
                    case '>' -> "＞";
                    case '#' -> "＃";
                    case '*' -> "＊";
                    case '`' -> "｀";
                    case '|' -> "｜";
                    case '!' -> "！";
                    case '&' -> "＆";
                    default -> new String(Character.toChars(cp));
                });
            } else {
                out.appendCodePoint(cp);
            }
        });
        // U+2215 DIVISION SLASH looks like '/' but ends a URL for every link detector
        return out.toString().replace("://", ":∕∕");
    }
}
