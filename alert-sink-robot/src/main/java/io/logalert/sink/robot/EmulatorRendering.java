package io.logalert.sink.robot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a robot would make of a message's markup: the links, images, headings and mentions its client would show, and
 * the code spans whose text it would leave as it is. Emulators work it out the way the platform's markup is
 * documented, erring towards interpreting more (a bare URL is taken for a link, a backslash escape is not trusted,
 * unless the platform is known to honour it), so that a sink test asserting hostile log text stays inert cannot pass
 * by luck. It is a reading of the markup, not a renderer: bold, colour and layout are not tracked.
 *
 * @param links     the links, markup links and bare URLs alike, in order
 * @param images    the image targets, in order
 * @param headings  the text of each heading line, in order
 * @param mentions  who would be notified: user ids, mobiles, or {@code @all}
 * @param codeSpans the text shown as code, left uninterpreted
 */
public record EmulatorRendering(List<Link> links, List<String> images, List<String> headings, List<String> mentions,
        List<String> codeSpans) {

    /** Nothing interpreted. */
    public static final EmulatorRendering NONE = new EmulatorRendering(List.of(), List.of(), List.of(), List.of(),
            List.of());

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?[ \\t#]*$");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\(\\s*([^)\\s]*)[^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(\\s*([^)\\s]+)[^)]*\\)");
    private static final Pattern BARE_URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>\"'()\\[\\]（）]+");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

    /** Copies the lists. */
    public EmulatorRendering {
        links = List.copyOf(links);
        images = List.copyOf(images);
        headings = List.copyOf(headings);
        mentions = List.copyOf(mentions);
        codeSpans = List.copyOf(codeSpans);
    }

    /**
     * A link.
     *
     * @param text   what the reader sees
     * @param target where it goes
     * @param bare   whether it is a bare URL the client links by itself, rather than link markup
     */
    public record Link(String text, String target, boolean bare) {
    }

    /**
     * What one platform's markup interprets.
     *
     * @param headings    lines starting with one to six {@code #} and a space are headings
     * @param links       {@code [text](url)} is a link
     * @param images      {@code ![alt](url)} is an image
     * @param bareUrls    a bare {@code http(s)://} or {@code www.} URL becomes a link
     * @param codeSpans   {@code `code`} and fenced blocks show their text as it is
     * @param mention     the in-text mention syntax, its first group the id; empty when the text cannot mention
     */
    public record Syntax(boolean headings, boolean links, boolean images, boolean bareUrls, boolean codeSpans,
            Optional<Pattern> mention) {

        /** Plain text: only bare URLs are linked, by the client. */
        public static final Syntax PLAIN = new Syntax(false, false, false, true, false, Optional.empty());

        /** Checks the arguments. */
        public Syntax {
            Objects.requireNonNull(mention, "mention");
        }

        /** The same syntax with the in-text mention syntax {@code regex}, its first group the id. */
        public Syntax mentioning(String regex) {
            return new Syntax(headings, links, images, bareUrls, codeSpans, Optional.of(Pattern.compile(regex)));
        }
    }

    /** How {@code text} renders in {@code syntax}. */
    public static EmulatorRendering of(String text, Syntax syntax) {
        Builder out = new Builder();
        out.add(text, syntax);
        return out.build();
    }

    /** Starts collecting a rendering from several parts of one message. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether nothing would be a link, an image, a heading or a mention. */
    public boolean inert() {
        return links.isEmpty() && images.isEmpty() && headings.isEmpty() && mentions.isEmpty();
    }

    /** Collects the rendering of a message's parts. Not thread-safe. */
    public static final class Builder {

        private final List<Link> links = new ArrayList<>();
        private final List<String> images = new ArrayList<>();
        private final List<String> headings = new ArrayList<>();
        private final List<String> mentions = new ArrayList<>();
        private final List<String> codeSpans = new ArrayList<>();

        private Builder() {
        }

        /** Adds how {@code text} renders in {@code syntax}. */
        public Builder add(String text, Syntax syntax) {
            boolean fenced = false;
            for (String line : text.split("\r?\n", -1)) {
                if (syntax.codeSpans() && FENCE.matcher(line).find()) {
                    fenced = !fenced;
                    continue;
                }
                // a platform that notifies on a mention in code would still notify: read mentions everywhere
                syntax.mention().ifPresent(pattern -> {
                    Matcher mention = pattern.matcher(line);
                    while (mention.find()) {
                        mentions.add(mention.group(1));
                    }
                });
                if (fenced) {
                    codeSpans.add(line);
                    continue;
                }
                line(line, syntax);
            }
            return this;
        }

        /** Adds a link the message's structure makes (a button, a post's {@code a} element). */
        public Builder link(String text, String target) {
            links.add(new Link(text, target, false));
            return this;
        }

        /** Adds an image the message's structure shows. */
        public Builder image(String target) {
            images.add(target);
            return this;
        }

        /** Adds a heading the message's structure shows (a card's header, a post's title). */
        public Builder heading(String text) {
            headings.add(text);
            return this;
        }

        /** Adds who a message's structured mentions notify. */
        public Builder mentions(List<String> ids) {
            mentions.addAll(ids);
            return this;
        }

        /** The rendering collected. */
        public EmulatorRendering build() {
            return new EmulatorRendering(links, images, headings, mentions, codeSpans);
        }

        private void line(String line, Syntax syntax) {
            String rest = line;
            if (syntax.headings()) {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    headings.add(Objects.requireNonNullElse(heading.group(2), ""));
                    rest = Objects.requireNonNullElse(heading.group(2), "");
                }
            }
            if (!syntax.codeSpans()) {
                inline(rest, syntax);
                return;
            }
            // a code span runs from a run of backticks to the next run of the same length; without one the backticks
            // are literal, as CommonMark has it
            int from = 0;
            int i = 0;
            while (i < rest.length()) {
                if (rest.charAt(i) != '`') {
                    i++;
                    continue;
                }
                int run = runOfBackticks(rest, i);
                int close = closing(rest, i + run, run);
                if (close < 0) {
                    i += run;
                    continue;
                }
                inline(rest.substring(from, i), syntax);
                codeSpans.add(rest.substring(i + run, close));
                i = close + run;
                from = i;
            }
            inline(rest.substring(from), syntax);
        }

        private void inline(String text, Syntax syntax) {
            StringBuilder plain = new StringBuilder(text);
            if (syntax.images()) {
                Matcher image = IMAGE.matcher(text);
                while (image.find()) {
                    images.add(image.group(2));
                    blank(plain, image.start(), image.end());
                }
            }
            if (syntax.links()) {
                Matcher link = LINK.matcher(plain);
                while (link.find()) {
                    links.add(new Link(link.group(1), link.group(2), false));
                    blank(plain, link.start(), link.end());
                }
            }
            if (syntax.bareUrls()) {
                Matcher url = BARE_URL.matcher(plain);
                while (url.find()) {
                    links.add(new Link(url.group(), url.group(), true));
                }
            }
        }

        private static void blank(StringBuilder text, int from, int to) {
            for (int i = from; i < to; i++) {
                text.setCharAt(i, ' ');
            }
        }

        private static int runOfBackticks(String text, int from) {
            int i = from;
            while (i < text.length() && text.charAt(i) == '`') {
                i++;
            }
            return i - from;
        }

        private static int closing(String text, int from, int run) {
            int i = from;
            while (i < text.length()) {
                if (text.charAt(i) == '`') {
                    int length = runOfBackticks(text, i);
                    if (length == run) {
                        return i;
                    }
                    i += length;
                } else {
                    i++;
                }
            }
            return -1;
        }
    }
}
