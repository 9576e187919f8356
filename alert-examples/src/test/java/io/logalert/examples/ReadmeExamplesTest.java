package io.logalert.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles the README's examples marked {@code readme-example} against the project, so that they stay true. */
class ReadmeExamplesTest {

    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- readme-example[^>]*-->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public (?:final )?class (\\w+)");

    @Test
    void everyMarkedExampleCompiles(@TempDir Path dir) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<Path> sources = new ArrayList<>();
        Matcher example = EXAMPLE.matcher(readme);
        while (example.find()) {
            Matcher name = CLASS_NAME.matcher(example.group(1));
            assertThat(name.find()).as("a README example declares a public class").isTrue();
            Path source = dir.resolve(name.group(1) + ".java");
            Files.writeString(source, example.group(1), StandardCharsets.UTF_8);
            sources.add(source);
        }
        assertThat(sources).as("README examples marked readme-example").isNotEmpty();

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            boolean compiled = compiler.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString()), null,
                    files.getJavaFileObjectsFromPaths(sources)).call();

            assertThat(diagnostics.getDiagnostics()).filteredOn(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .isEmpty();
            assertThat(compiled).isTrue();
        }
    }
}
