package io.logalert;

import io.logalert.DigestLayout.Text;
import io.logalert.spi.ConfigValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The words a digest is shown with, in English or Simplified Chinese: every label and phrase that a sink shows
 * around log text. Phrases that hold log text (a project, a reason) are returned as {@link Text}, whose log parts a
 * sink escapes for its markup; the rest are plain strings of our own words, numbers and times.
 *
 * <p>Choose by {@link #of(Locale)}, or read the configuration key {@code locale} with
 * {@link #read(ConfigValidator, String)}. Numbers are shown with grouping separators ({@code 13,604}) in both.
 *
 * <p>Immutable and thread-safe.
 */
public final class Labels {

    /** The language tags {@code locale} accepts, as users write them. */
    public static final List<String> SUPPORTED = List.of("en", "zh-CN");

    /** English, the default. */
    public static final Labels ENGLISH = new Labels(Locale.ENGLISH, Map.ofEntries(
            Map.entry("title", "{project}: {errors}"),
            Map.entry("error", "{n} error"),
            Map.entry("errors", "{n} errors"),
            Map.entry("group", "{n} group"),
            Map.entry("groups", "{n} groups"),
            Map.entry("totals", "{errors} in {groups}"),
            Map.entry("late-title", "{project}: {errors} found late"),
            Map.entry("late-totals", "{errors} in {groups}, indexed after this window was read"),
            Map.entry("window", "Window"),
            Map.entry("total", "Total"),
            Map.entry("field", "{label}: {value}"),
            Map.entry("down", "logalert was down"),
            Map.entry("catch-up", "{span}: {totals}"),
            Map.entry("continued", "(continued)"),
            Map.entry("new", "new"),
            Map.entry("back", "back"),
            Map.entry("held-back", "(+{n} since {since})"),
            Map.entry("sample", "e.g. {line}"),
            Map.entry("more-lines", "(+{n} more lines)"),
            Map.entry("seen", "seen {times}"),
            Map.entry("thread", "thread {thread}"),
            Map.entry("project", "project {project}"),
            Map.entry("more-group", "+{n} more group ({errors})"),
            Map.entry("more-groups", "+{n} more groups ({errors})"),
            Map.entry("silenced", "{errors} held by a silence {from}–{until} (reason: {reason})"),
            Map.entry("silenced-of", "{errors} of {project} held by a silence {from}–{until} (reason: {reason})"),
            Map.entry("held-by-silence", "{n} held by a silence"),
            Map.entry("held-by-silences", "{n} held by {silences} silences"),
            Map.entry("nothing-to-show", "no errors to show; {held}"),
            Map.entry("aside", " ({text})"),
            Map.entry("all-projects", "(all projects)"),
            Map.entry("list-separator", ", "),
            Map.entry("more-projects", "{list} +{n} more"),
            Map.entry("packed", "{n} digests packed into one message to stay within the robot's rate limit"),
            Map.entry("open-logs", "Open logs")));

    /** Simplified Chinese ({@code zh-CN}). */
    public static final Labels SIMPLIFIED_CHINESE = new Labels(Locale.SIMPLIFIED_CHINESE, Map.ofEntries(
            Map.entry("title", "{project}：{errors}"),
            Map.entry("error", "{n} 个错误"),
            Map.entry("errors", "{n} 个错误"),
            Map.entry("group", "{n} 类"),
            Map.entry("groups", "{n} 类"),
            Map.entry("totals", "{errors}，分 {groups}"),
            Map.entry("late-title", "{project}：迟到的 {errors}"),
            Map.entry("late-totals", "{errors}，分 {groups}，在本时间窗口读取之后才写入"),
            Map.entry("window", "时间窗口"),
            Map.entry("total", "合计"),
            Map.entry("field", "{label}：{value}"),
            Map.entry("down", "logalert 停机期间"),
            Map.entry("catch-up", "{span}：{totals}"),
            Map.entry("continued", "（续）"),
            Map.entry("new", "新出现"),
            Map.entry("back", "再出现"),
            Map.entry("held-back", "（{since} 以来另有 {n} 个）"),
            Map.entry("sample", "示例：{line}"),
            Map.entry("more-lines", "（另有 {n} 行）"),
            Map.entry("seen", "出现于 {times}"),
            Map.entry("thread", "线程 {thread}"),
            Map.entry("project", "项目 {project}"),
            Map.entry("more-group", "另有 {n} 类（{errors}）"),
            Map.entry("more-groups", "另有 {n} 类（{errors}）"),
            Map.entry("silenced", "静默规则 {from}–{until} 屏蔽了 {errors}（原因：{reason}）"),
            Map.entry("silenced-of", "静默规则 {from}–{until} 屏蔽了 {project} 的 {errors}（原因：{reason}）"),
            Map.entry("held-by-silence", "{n} 个被静默规则屏蔽"),
            Map.entry("held-by-silences", "{n} 个被 {silences} 条静默规则屏蔽"),
            Map.entry("nothing-to-show", "没有需要显示的错误；{held}"),
            Map.entry("aside", "（{text}）"),
            Map.entry("all-projects", "（全部项目）"),
            Map.entry("list-separator", "、"),
            Map.entry("more-projects", "{list} 等 {total} 个项目"),
            Map.entry("packed", "为不超出机器人的发送频率限制，{n} 份摘要合并为一条消息"),
            Map.entry("open-logs", "查看日志")));

    private final Locale locale;
    private final Map<String, String> phrases;

    private Labels(Locale locale, Map<String, String> phrases) {
        this.locale = locale;
        this.phrases = phrases;
    }

    /**
     * The labels of {@code locale}: English for any {@code en} locale; Simplified Chinese for {@code zh},
     * {@code zh-CN}, {@code zh-SG} and {@code zh-Hans}.
     *
     * @throws IllegalArgumentException for any other locale (Traditional Chinese included), naming the supported ones
     */
    public static Labels of(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        return choose(locale).orElseThrow(() -> new IllegalArgumentException("no labels for locale '"
                + locale.toLanguageTag() + "'; supported: " + String.join(", ", SUPPORTED)));
    }

    /** The labels of a language tag such as {@code en} or {@code zh-CN} ({@code zh_CN} too), or empty. */
    public static Optional<Labels> forTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        String normalized = tag.strip().replace('_', '-');
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        return choose(Locale.forLanguageTag(normalized));
    }

    /**
     * The labels named by the configuration key {@code key} ({@code en} or {@code zh-CN}); English when it is unset.
     * A value that names no supported locale is recorded as a problem of {@code v} that lists the allowed values.
     */
    public static Labels read(ConfigValidator v, String key) {
        Optional<String> raw = v.string(key);
        if (raw.isEmpty()) {
            return ENGLISH;
        }
        Optional<Labels> labels = forTag(raw.get());
        if (labels.isEmpty()) {
            v.problem("'" + key + "' must be one of " + String.join(", ", SUPPORTED) + ", was '" + raw.get().strip()
                    + "'");
        }
        return labels.orElse(ENGLISH);
    }

    private static Optional<Labels> choose(Locale locale) {
        String language = locale.getLanguage();
        if (language.equals("en")) {
            return Optional.of(ENGLISH);
        }
        if (language.equals("zh")) {
            String script = locale.getScript();
            String country = locale.getCountry();
            // Taiwan, Hong Kong and Macau read Traditional characters: Simplified labels would be the wrong script
            boolean simplified = script.equals("Hans")
                    || script.isEmpty() && (country.isEmpty() || country.equals("CN") || country.equals("SG"));
            if (simplified) {
                return Optional.of(SIMPLIFIED_CHINESE);
            }
        }
        return Optional.empty();
    }

    /** The locale these labels are written for. */
    public Locale locale() {
        return locale;
    }

    /** {@code value} with grouping separators: {@code 13,604}. */
    public String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** "13,604 errors" / "13,604 个错误". */
    public String errors(long events) {
        return phrase(events == 1 ? "error" : "errors", "n", count(events));
    }

    /** "13,604 errors in 3 groups" / "13,604 个错误，分 3 类". */
    public String totals(long events, long groups) {
        return phrase("totals", "errors", errors(events), "groups",
                phrase(groups == 1 ? "group" : "groups", "n", count(groups)));
    }

    /** The totals of a late digest: "37 errors in 2 groups, indexed after this window was read". */
    public String lateTotals(long events, long groups) {
        return phrase("late-totals", "errors", errors(events), "groups",
                phrase(groups == 1 ? "group" : "groups", "n", count(groups)));
    }

    /** A late digest's title, "checkout: 37 errors found late" / "checkout：迟到的 37 个错误". */
    public Text lateTitle(Text project, long events) {
        return text("late-title", Map.of("project", project, "errors", Text.words(errors(events))));
    }

    /** A digest's title, "checkout: 13,604 errors" / "checkout：13,604 个错误"; {@code project} is log text. */
    public Text title(Text project, long events) {
        return text("title", Map.of("project", project, "errors", Text.words(errors(events))));
    }

    /** A project as shown: {@link Digest#ALL_PROJECTS} in these labels' words, any other name as log text. */
    public Text project(String project) {
        return Digest.ALL_PROJECTS.equals(project) ? Text.words(phrase("all-projects")) : Text.log(project);
    }

    /** "Window" / "时间窗口": the label of a digest's window. */
    public String window() {
        return phrase("window");
    }

    /** "Total" / "合计": the label of a digest's totals. */
    public String total() {
        return phrase("total");
    }

    /** "Window: …" / "时间窗口：…": a label and its value on one line, for sinks without markup. */
    public String field(String label, String value) {
        return phrase("field", "label", label, "value", value);
    }

    /** "logalert was down" / "logalert 停机期间": the lead of a catch-up digest's first line. */
    public String down() {
        return phrase("down");
    }

    /** "(continued)" / "（续）": said by the second and later parts of a digest split into several messages. */
    public String continued() {
        return phrase("continued");
    }

    /** "new" / "新出现", "back" / "再出现", or empty for {@link Mark#NONE}. */
    public String mark(Mark mark) {
        return switch (mark) {
            case NONE -> "";
            case NEW -> phrase("new");
            case BACK -> phrase("back");
        };
    }

    /** "(+312 since 17:05)" / "（17:05 以来另有 312 个）"; {@code since} as formatted by the layout. */
    public String heldBack(long count, String since) {
        return phrase("held-back", "n", count(count), "since", since);
    }

    /** "e.g. " + {@code line} / "示例：" + {@code line}: the sample message under a pattern. */
    public Text sample(Text line) {
        return text("sample", Map.of("line", line));
    }

    /** "(+40 more lines)" / "（另有 40 行）": what a sample's shown lines leave out. */
    public String moreLines(int lines) {
        return phrase("more-lines", "n", count(lines));
    }

    /** "seen 10:00:05" / "出现于 10:00:05", with one time or a span. */
    public String seen(String times) {
        return phrase("seen", "times", times);
    }

    /** "thread http-1" / "线程 http-1"; the thread is log text. */
    public Text thread(String thread) {
        return text("thread", Map.of("thread", Text.log(thread)));
    }

    /** "project shop" / "项目 shop", said of a group in a digest of every project; the name is log text. */
    public Text projectOf(String project) {
        return text("project", Map.of("project", Text.log(project)));
    }

    /** "+3 more groups (17 errors)" / "另有 3 类（17 个错误）". */
    public String moreGroups(long groups, long events) {
        return phrase(groups == 1 ? "more-group" : "more-groups", "n", count(groups), "errors", errors(events));
    }

    /**
     * "412 errors held by a silence 08:00–09:30 (reason: deploy)", with "of shop" when {@code project} is given;
     * the project and the reason are log text.
     */
    public Text silenced(long events, Optional<String> project, String from, String until, String reason) {
        Map<String, Text> values = new HashMap<>(Map.of("errors", Text.words(errors(events)),
                "from", Text.words(from), "until", Text.words(until), "reason", Text.log(reason)));
        project.ifPresent(p -> values.put("project", Text.log(p)));
        return text(project.isPresent() ? "silenced-of" : "silenced", values);
    }

    /** "412 held by 2 silences" / "412 个被 2 条静默规则屏蔽". */
    public String heldBySilences(long events, long silences) {
        return silences == 1 ? phrase("held-by-silence", "n", count(events))
                : phrase("held-by-silences", "n", count(events), "silences", count(silences));
    }

    /** "no errors to show; 412 held by a silence": the totals of a digest that only says what silences held. */
    public String nothingToShow(String held) {
        return phrase("nothing-to-show", "held", held);
    }

    /** The catch-up line after {@link #down()}: "{span}: {totals}" / "{span}：{totals}". */
    public String catchUp(String span, String totals) {
        return phrase("catch-up", "span", span, "totals", totals);
    }

    /** " (text)" / "（text）": a remark after a title, with the space English puts before it. */
    public String aside(String text) {
        return phrase("aside", "text", text);
    }

    /** Projects named together: "a, b, c" / "a、b、c"; after the first three, "+2 more" / "等 5 个项目". */
    public Text projects(List<String> projects) {
        List<Text> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(3, projects.size()); i++) {
            if (i > 0) {
                parts.add(Text.words(phrase("list-separator")));
            }
            parts.add(project(projects.get(i)));
        }
        Text list = Text.concat(parts);
        if (projects.size() <= 3) {
            return list;
        }
        return text("more-projects", Map.of("list", list, "n", Text.words(count(projects.size() - 3L)),
                "total", Text.words(count(projects.size()))));
    }

    /** "3 digests packed into one message to stay within the robot's rate limit". */
    public String packed(int digests) {
        return phrase("packed", "n", count(digests));
    }

    /** "Open logs" / "查看日志": the default text of a link to the logs. */
    public String openLogs() {
        return phrase("open-logs");
    }

    @Override
    public String toString() {
        return "Labels[" + locale.toLanguageTag() + "]";
    }

    /** The phrase {@code name} with {@code {key}}s replaced by the values that follow each key. */
    private String phrase(String name, String... keysAndValues) {
        String text = phrases.get(name);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            text = text.replace("{" + keysAndValues[i] + "}", keysAndValues[i + 1]);
        }
        return text;
    }

    /** The phrase {@code name} as a text: its words, and each {@code {key}} replaced by its value's spans. */
    private Text text(String name, Map<String, Text> values) {
        String template = phrases.get(name);
        List<Text> parts = new ArrayList<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('{', at);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || close < 0) {
                parts.add(Text.words(template.substring(at)));
                break;
            }
            parts.add(Text.words(template.substring(at, open)));
            Text value = values.get(template.substring(open + 1, close));
            if (value == null) {
                throw new IllegalStateException("no value for " + template.substring(open, close + 1) + " in "
                        + name);
            }
            parts.add(value);
            at = close + 1;
        }
        return Text.concat(parts);
    }
}
