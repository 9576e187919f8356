package io.logalert.runner;

import io.logalert.DeliveryResult;
import io.logalert.RunReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A run's report as the runner prints it: its one line, then a line for each digest a sink did not take. */
final class Reports {

    private Reports() {
    }

    static List<String> lines(RunReport report) {
        List<String> lines = new ArrayList<>();
        lines.add(report.toString());
        for (Map.Entry<String, List<DeliveryResult>> sink : new TreeMap<>(report.deliveries()).entrySet()) {
            for (DeliveryResult result : sink.getValue()) {
                if (!result.isDelivered()) {
                    lines.add("  " + sink.getKey() + ": " + result.status() + " " + result.digest().id() + ": "
                            + result.reason() + result.retryAfter().map(at -> " (retry after " + at + ")").orElse(""));
                }
            }
        }
        if (!report.expired().isEmpty()) {
            lines.add("  " + report.expired().size() + " expired digests are kept until acknowledged; they were not "
                    + "delivered within the spool's max-age or beyond its max-pending");
        }
        return lines;
    }
}
