package io.logalert.sink.webhook;

import io.logalert.Labels;
import io.logalert.Mark;
import io.logalert.sink.robot.Markup;
import io.logalert.sink.robot.Markups;

/**
 * The text of {@code {{text.markdown}}}: CommonMark as chat tools that take it show it (Mattermost, Rocket.Chat,
 * Discord, Zulip). Log text goes into one-backtick code spans, which CommonMark shows as they are — no link, image,
 * emphasis, HTML or heading inside — the core's rule for markdowns with code spans ({@link Markups#weComMarkdown()},
 * whose escaping this borrows: a backtick in log text, which would end the span, and a mention are broken). What
 * differs from WeCom's markdown is styling only: no {@code <font>} (CommonMark tools show it as text), a heading
 * level Discord renders too, and a hard line break that strict CommonMark honours.
 */
final class CommonMark implements Markup {

    static final Markup INSTANCE = new CommonMark();

    private static final Markup CODE_SPANS = Markups.weComMarkdown();

    private CommonMark() {
    }

    @Override
    public String escape(String text, int maxChars) {
        return CODE_SPANS.escape(text, maxChars);
    }

    @Override
    public String escapeName(String text, int maxChars) {
        return CODE_SPANS.escapeName(text, maxChars);
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
    public String bold(String text) {
        return CODE_SPANS.bold(text);
    }

    @Override
    public String italic(String text) {
        return CODE_SPANS.italic(text);
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
    public String link(String title, String url, Labels labels) {
        return CODE_SPANS.link(title, url, labels);
    }

    @Override
    public String field(String label, String value, Labels labels) {
        return CODE_SPANS.field(label, value, labels);
    }

    @Override
    public String mark(Mark mark, Labels labels) {
        return CODE_SPANS.mark(mark, labels);
    }

    @Override
    public String silenced(String note) {
        return CODE_SPANS.silenced(note);
    }

    @Override
    public String lineBreak() {
        // two spaces: a hard break in CommonMark, where a bare newline is only a soft one (shown as a space)
        return "  \n";
    }

    @Override
    public String sampleIndent() {
        return CODE_SPANS.sampleIndent();
    }

    @Override
    public String stackIndent() {
        return CODE_SPANS.stackIndent();
    }
}
