package io.logalert.sink.robot;

import io.logalert.Labels;
import io.logalert.Mark;

/**
 * How one robot message format marks text up, and how log text is made inert in it. Log lines are written by whoever
 * can make an application log (a user name, a URL, a request body), so {@link #escape} must keep them from becoming
 * links, images, headings, HTML or mentions in the chat; everything else here styles our own words.
 *
 * <p>The formats in use: {@link Markups#plain()} (text messages), {@link Markups#dingTalkMarkdown()},
 * {@link Markups#weComMarkdown()}, {@link Markups#larkMd()}, {@link Markups#commonMark()} (a webhook's markdown). A
 * platform with a format of its own implements this interface and its tests feed it the hostile corpus
 * ({@code HostileLogTextTest} in this module).
 * Implementations are immutable and thread-safe.
 */
public interface Markup {

    /**
     * {@code text}, log text, cut to {@code maxChars} characters (code points) and made inert, changing as few of its
     * characters as the format allows (see {@link Markups}). The renderer never puts log text at the start of a
     * line, so only inline constructs need breaking.
     */
    String escape(String text, int maxChars);

    /**
     * Log text in a title or a name (a project, a silence's reason): as {@link #escape}, but shown in notification
     * previews as it is, so never wrapped in a construct of the markup. Default: {@link #escape}.
     */
    default String escapeName(String text, int maxChars) {
        return escape(text, maxChars);
    }

    /** The message's heading, {@code title} already escaped, e.g. {@code "#### " + title}. */
    String heading(String title);

    /** The heading of one project's section in a packed message, e.g. {@code "##### " + project}. */
    String subheading(String project);

    /** {@code text} in bold. */
    String bold(String text);

    /** {@code text} in italics: our notes ("+3 more groups"). */
    String italic(String text);

    /** A group's count, made to stand out ("1,204×" in red). */
    String count(String count);

    /** A variable part of a pattern, made to recede ("‹…›" in grey). */
    String variable(String part);

    /** A link with the text {@code title} to {@code url} (ours, URL-encoded). */
    String link(String title, String url, Labels labels);

    /** A label and its value ("**Window** 10:00 – 10:02"). */
    String field(String label, String value, Labels labels);

    /** The label shown before a group's count for {@code mark} ("🆕 new "), or "" for none; ends with a space. */
    String mark(Mark mark, Labels labels);

    /** A note on what silences held ("🔕 412 errors held by a silence"). */
    String silenced(String note);

    /** Ends a line inside a block. */
    String lineBreak();

    /** Starts a sample's first line under its group. */
    String sampleIndent();

    /** Starts a sample's later lines (a stack trace's frames). */
    String stackIndent();
}
