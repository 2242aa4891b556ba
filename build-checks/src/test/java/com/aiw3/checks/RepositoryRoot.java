package com.aiw3.checks;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root folder, which the checks read the tree from. */
final class RepositoryRoot {

    private RepositoryRoot() {}

    /** {@code -Daiw3.repository.root} or the working directory, then upwards to the folder with mvnw and build-checks/. */
    static Path find() {
        String configured = System.getProperty("aiw3.repository.root");
        Path start = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("build-checks"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a folder with mvnw and build-checks/) above " + start);
    }
}
