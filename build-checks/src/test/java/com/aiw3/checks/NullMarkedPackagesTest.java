package com.aiw3.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of main code, in every module, declares its nullness: a package-info.java with a
 * one-line purpose and {@code @NullMarked}, so a type without {@code @Nullable} never holds null. The
 * {@code -Pnullaway} build checks the code against those declarations (docs/testing.md).
 */
class NullMarkedPackagesTest {

    private static final Pattern NULL_MARKED =
            Pattern.compile("(?m)^@(?:org\\.jspecify\\.annotations\\.)?NullMarked\\b");

    @Test
    void everyMainPackageHasAPackageInfoThatIsNullMarked() {
        Path root = RepositoryRoot.find();
        List<Path> packages = mainPackages(root);
        assertThat(packages).as("packages of main code found under %s", root).isNotEmpty();

        List<String> missing = packages.stream()
                .filter(dir -> !Files.isRegularFile(dir.resolve("package-info.java")))
                .map(dir -> root.relativize(dir).toString())
                .toList();
        List<String> unmarked = packages.stream()
                .map(dir -> dir.resolve("package-info.java"))
                .filter(Files::isRegularFile)
                .filter(info -> !NULL_MARKED.matcher(read(info)).find())
                .map(info -> root.relativize(info).toString())
                .toList();

        assertThat(missing).as("main packages without a package-info.java").isEmpty();
        assertThat(unmarked).as("package-info.java files without @NullMarked").isEmpty();
    }

    /** Every folder under a module's src/main/java that holds a Java source file. */
    private static List<Path> mainPackages(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("package-info.java"))
                    .filter(f ->
                            root.relativize(f).toString().replace('\\', '/').contains("/src/main/java/"))
                    .filter(f -> !isIgnored(root.relativize(f)))
                    .map(Path::getParent)
                    .distinct()
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isIgnored(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
