package io.logalert.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The machine the numbers come from. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "Machine: %d CPUs (%s), %s RAM; %s %s (%s); client max heap %d MB; "
                        + "load average at start: %s%n",
                runtime.availableProcessors(), cpuModel(), memTotal(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"), runtime.maxMemory() / 1048576, loadAverage());
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1048576 + " GB")
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
