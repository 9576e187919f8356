package io.logalert.examples.demo;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A message the robot accepted, as its group sees it, for a terminal: the markdown's {@code <font>} tags and bold
 * marks are dropped, headings and line breaks kept, and the message framed.
 */
final class RobotView {

    private static final Pattern FONT = Pattern.compile("</?font[^>]*>");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} ");

    private RobotView() {
    }

    /** The lines to print for {@code message}, framed and indented. */
    static List<String> lines(DingTalkEmulator.Accepted message) {
        String text = FONT.matcher(message.text()).replaceAll("").replace("**", "");
        List<String> lines = new ArrayList<>();
        List<String> body = text.lines().map(String::stripTrailing).toList();
        int first = 0;
        String heading = message.title();
        if (!body.isEmpty() && HEADING.matcher(body.get(0)).find()) {
            heading = HEADING.matcher(body.get(0)).replaceFirst("");
            first = 1;
        }
        lines.add("  ┌─ " + heading);
        boolean blank = false;
        for (String line : body.subList(first, body.size())) {
            if (line.isEmpty()) {
                // one blank line between blocks is enough
                if (!blank && !lines.get(lines.size() - 1).equals("  ┌─ " + heading)) {
                    lines.add("  │");
                }
                blank = true;
                continue;
            }
            blank = false;
            lines.add("  │ " + HEADING.matcher(line).replaceFirst(""));
        }
        lines.add("  └─");
        return lines;
    }
}
