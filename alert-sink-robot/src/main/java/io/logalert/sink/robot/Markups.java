package io.logalert.sink.robot;

import io.logalert.Labels;
import io.logalert.Mark;
import java.util.regex.Pattern;

/**
 * The markups robot sinks use, and the rules that keep log text inert in each while a reader can still copy it.
 *
 * <p>Log text is changed only where the markup would interpret it, and only the character that would start the
 * interpretation: {@code [POST] /orders} and {@code PAID -> CREATED} stay as they are, {@code [x](http://evil)} loses
 * its link by one bracket ({@code [x］(…)}). Where the platform renders code spans (WeCom markdown, CommonMark), log
 * text goes into one and keeps every character. Everywhere, a line break becomes a space (so log text cannot start a
 * heading, a quote or a list: the renderer puts our words or an indent before every piece of it), invisible
 * characters that could disguise text (bidi overrides, zero-width joiners, controls) are dropped, and a lone
 * surrogate becomes U+FFFD. A bare URL is the one thing whose characters cannot all be kept where there are no code
 * spans: the slashes of {@code ://} become U+2215 (and the dot of {@code www.} a one-dot leader), because clients
 * link it.
 */
public final class Markups {

    private static final Markup PLAIN = new Plain();
    private static final Markup DINGTALK_MARKDOWN = new DingTalkMarkdown();
    private static final Markup WECOM_MARKDOWN = new WeComMarkdown();
    private static final Markup LARK_MD = new LarkMd();
    private static final Markup COMMON_MARK = new CommonMark();

    // "](" makes a link or an image of what precedes it: the bracket alone is enough to break it
    private static final Pattern LINK_CLOSE = Pattern.compile("\\](?=\\()");
    // clients link "http://", "ftp://" and "www." by themselves
    private static final Pattern URL_SLASHES = Pattern.compile("(?<=[A-Za-z0-9]:)//");
    private static final Pattern WWW_DOT = Pattern.compile("(?i)(?<![\\p{L}\\p{N}_.-])(www)\\.(?=[\\p{L}\\p{N}])");
    // "<" starts an HTML tag only before a tag name that ends at a space, '/' or '>' (<font …>, <at …>, <b>,
    // <List>), or before '/', '!' or '?': "Map<java.lang.String, …>" and "a < b" are left alone
    private static final Pattern TAG_OPEN = Pattern.compile("<(?=[A-Za-z][A-Za-z0-9-]*(?:[\\s/>]|$)|[/!?])");
    private static final Pattern ENTITY = Pattern.compile("&(?=#?[A-Za-z0-9]+;)");
    // emphasis needs an asterisk touching text; "a * b" and "SELECT *" are left alone
    private static final Pattern EMPHASIS = Pattern.compile("(?<=\\S)\\*|\\*(?=\\S)");
    private static final Pattern STRIKE = Pattern.compile("~(?=~)|(?<=~)~");
    // "@all", "@13800138000", "<@userid>"; not the '@' of an e-mail address, which mentions no one
    private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9._%+-])@(?=[\\p{L}\\p{N}_])");

    private Markups() {
    }

    /**
     * Plain text (DingTalk and WeCom text messages): no markup; log text loses only what would mention people
     * ({@code @all}, {@code <@userid>}) or make a link.
     */
    public static Markup plain() {
        return PLAIN;
    }

    /**
     * DingTalk's markdown (markdown and actionCard messages): headings, bold, italics, links, images, quotes, lists
     * and {@code <font>}; code spans are not documented, so log text is kept inert character by character.
     */
    public static Markup dingTalkMarkdown() {
        return DINGTALK_MARKDOWN;
    }

    /**
     * WeCom's {@code markdown}: headings, bold, links, one-line code spans, quotes,
     * {@code <font color="info|comment|warning">} and {@code <@userid>} mentions. Log text goes into code spans,
     * whole; a mention in it is broken all the same, should the client read mentions in code.
     */
    public static Markup weComMarkdown() {
        return WECOM_MARKDOWN;
    }

    /**
     * Feishu/Lark's {@code lark_md} (the text of a card's elements): bold, italics, strikethrough, links,
     * {@code <at id=…>}, {@code <font color>}; no headings or images. Whether it shows code spans is not documented,
     * so log text is kept inert character by character.
     */
    public static Markup larkMd() {
        return LARK_MD;
    }

    /**
     * CommonMark as chat tools that take it show it (Mattermost, Rocket.Chat, Discord, Zulip), for a webhook's
     * markdown text. Log text goes into one-backtick code spans, as in {@link #weComMarkdown()}: CommonMark shows them
     * as they are, with no link, image, emphasis, HTML or heading inside. What differs from WeCom's markdown is
     * styling only: no {@code <font>} (CommonMark tools show it as text), a heading level Discord renders too, and a
     * hard line break that strict CommonMark honours.
     */
    public static Markup commonMark() {
        return COMMON_MARK;
    }

    /** {@code text} cut to at most {@code maxChars} code points, ending with "…" when cut. */
    public static String truncate(String text, int maxChars) {
        if (text.codePointCount(0, text.length()) <= maxChars) {
            return text;
        }
        int end = text.offsetByCodePoints(0, Math.max(0, maxChars - 1));
        return text.substring(0, end) + "…";
    }

    /**
     * {@code text} as one line of visible characters: line breaks and tabs become spaces, invisible characters
     * (controls, bidi overrides, zero-width joiners, line and paragraph separators) are dropped, and a lone
     * surrogate, which no client can show, becomes U+FFFD.
     */
    static String oneVisibleLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                // one entry stays one line: a newline would let log text start a heading, quote or list
                out.append(' ');
            } else if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029
                    || Character.getType(cp) == Character.FORMAT) {
                // invisible characters could disguise text (an RTL override reverses what follows it)
                return;
            } else if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                out.append('\uFFFD');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static String unlinked(String text) {
        String out = URL_SLASHES.matcher(text).replaceAll("∕∕");
        return WWW_DOT.matcher(out).replaceAll("$1\u2024");
    }

    private static String unmentioned(String text) {
        return MENTION.matcher(text).replaceAll("＠");
    }

    /**
     * Log text as a one-backtick code span, for markdowns that show them: every character kept but a backtick (which
     * would end it) and a mention, which is broken all the same, should the client read mentions in code.
     */
    private static String codeSpan(String text, int maxChars) {
        String line = oneVisibleLine(truncate(text, maxChars));
        if (line.isEmpty()) {
            return "";
        }
        // one-backtick spans only (WeCom documents no other): a backtick inside becomes its full-width look-alike
        return "`" + unmentioned(line.replace('`', '｀')) + "`";
    }

    /**
     * A name in a heading or title of a markdown with code spans, which previews show as plain text: inert character
     * by character, a backtick included.
     */
    private static String inertName(String text, int maxChars) {
        return unmentioned(inertMarkdown(oneVisibleLine(truncate(text, maxChars))).replace('`', '｀'));
    }

    /** The inline rules the markdowns here share: no link, image, tag, entity or emphasis from log text. */
    private static String inertMarkdown(String text) {
        String out = LINK_CLOSE.matcher(text).replaceAll("］");
        out = TAG_OPEN.matcher(out).replaceAll("＜");
        out = ENTITY.matcher(out).replaceAll("＆");
        out = EMPHASIS.matcher(out).replaceAll("＊");
        return unlinked(out);
    }

    /** Text messages. */
    private static final class Plain implements Markup {

        @Override
        public String escape(String text, int maxChars) {
            return unmentioned(unlinked(oneVisibleLine(truncate(text, maxChars))));
        }

        @Override
        public String heading(String title) {
            return title;
        }

        @Override
        public String subheading(String project) {
            return "== " + project + " ==";
        }

        @Override
        public String bold(String text) {
            return text;
        }

        @Override
        public String italic(String text) {
            return text;
        }

        @Override
        public String count(String count) {
            return count;
        }

        @Override
        public String variable(String part) {
            return part;
        }

        @Override
        public String link(String title, String url, Labels labels) {
            return labels.field(title, url);
        }

        @Override
        public String field(String label, String value, Labels labels) {
            return labels.field(label, value);
        }

        @Override
        public String mark(Mark mark, Labels labels) {
            // brackets: a text message has no markup they could start
            return mark == Mark.NONE ? "" : "[" + labels.mark(mark) + "] ";
        }

        @Override
        public String silenced(String note) {
            return note;
        }

        @Override
        public String lineBreak() {
            return "\n";
        }

        @Override
        public String sampleIndent() {
            return "   ";
        }

        @Override
        public String stackIndent() {
            return "      ";
        }
    }

    /**
     * Markdown as chat robots take it: bold, italics, links, {@code <font color>}. The colors and the line break are
     * the platform's.
     */
    abstract static class Markdown implements Markup {

        private final String countColor;
        private final String variableColor;

        Markdown(String countColor, String variableColor) {
            this.countColor = countColor;
            this.variableColor = variableColor;
        }

        @Override
        public String heading(String title) {
            return "#### " + title;
        }

        @Override
        public String subheading(String project) {
            return "##### " + project;
        }

        @Override
        public String bold(String text) {
            return "**" + text + "**";
        }

        @Override
        public String italic(String text) {
            return "*" + text + "*";
        }

        @Override
        public String count(String count) {
            return "<font color=" + countColor + ">**" + count + "**</font>";
        }

        @Override
        public String variable(String part) {
            return "<font color=" + variableColor + ">" + part + "</font>";
        }

        @Override
        public String link(String title, String url, Labels labels) {
            return "[" + title + "](" + url + ")";
        }

        @Override
        public String field(String label, String value, Labels labels) {
            return "**" + label + "** " + value;
        }

        @Override
        public String mark(Mark mark, Labels labels) {
            // an emoji: brackets would start a link
            return switch (mark) {
                case NONE -> "";
                case NEW -> "🆕 " + labels.mark(mark) + " ";
                case BACK -> "↩ " + labels.mark(mark) + " ";
            };
        }

        @Override
        public String silenced(String note) {
            return "🔕 " + note;
        }

        @Override
        public String sampleIndent() {
            return "";
        }

        @Override
        public String stackIndent() {
            // an ideographic space: it indents, and a line that does not start with log text cannot become a list,
            // a quote, a rule or a code block, whatever the log line holds
            return "\u3000";
        }
    }

    /** DingTalk's markdown. */
    private static final class DingTalkMarkdown extends Markdown {

        DingTalkMarkdown() {
            super("#d93026", "#8c8c8c");
        }

        @Override
        public String escape(String text, int maxChars) {
            return unmentioned(inertMarkdown(oneVisibleLine(truncate(text, maxChars))));
        }

        @Override
        public String lineBreak() {
            // DingTalk's markdown breaks a line reliably only after two spaces
            return "  \n";
        }
    }

    /** WeCom's markdown: its colors are three names; a line breaks at a plain newline. */
    private static final class WeComMarkdown extends Markdown {

        WeComMarkdown() {
            super("\"warning\"", "\"comment\"");
        }

        @Override
        public String escape(String text, int maxChars) {
            return codeSpan(text, maxChars);
        }

        @Override
        public String escapeName(String text, int maxChars) {
            return inertName(text, maxChars);
        }

        @Override
        public String lineBreak() {
            return "\n";
        }
    }

    /**
     * Feishu/Lark's {@code lark_md}: no headings, so a heading is bold; its colors are names; a line breaks at a
     * plain newline.
     */
    private static final class LarkMd extends Markdown {

        LarkMd() {
            super("'red'", "'grey'");
        }

        @Override
        public String escape(String text, int maxChars) {
            String inert = STRIKE.matcher(inertMarkdown(oneVisibleLine(truncate(text, maxChars)))).replaceAll("～");
            // lark_md mentions only by <at>, but "@all" in a card would still read as one
            return unmentioned(inert);
        }

        @Override
        public String heading(String title) {
            return bold(title);
        }

        @Override
        public String subheading(String project) {
            return bold(project);
        }

        @Override
        public String lineBreak() {
            return "\n";
        }
    }

    /** CommonMark as chat tools show it: log text in code spans as WeCom's, no {@code <font>}, a hard line break. */
    private static final class CommonMark extends Markdown {

        CommonMark() {
            // no colors: count and variable are styled without <font>
            super(null, null);
        }

        @Override
        public String escape(String text, int maxChars) {
            return codeSpan(text, maxChars);
        }

        @Override
        public String escapeName(String text, int maxChars) {
            return inertName(text, maxChars);
        }

        @Override
        public String heading(String title) {
            return "### " + title;
        }

        @Override
        public String subheading(String project) {
            return bold(project);
        }

        @Override
        public String count(String count) {
            return bold(count);
        }

        @Override
        public String variable(String part) {
            return part;
        }

        @Override
        public String lineBreak() {
            // two spaces: a hard break in CommonMark, where a bare newline is only a soft one (shown as a space)
            return "  \n";
        }
    }
}
