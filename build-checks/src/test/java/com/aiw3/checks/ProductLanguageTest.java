package com.aiw3.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository speaks of the product only: docs, comments, test names and READMEs say what the
 * product does and why, never when or by whom it was worked on. History is in git and CHANGELOG.md;
 * requirements and decisions are stated in the project's own words (decisions in docs/decisions/).
 *
 * <p>Every tracked text file (and every new one git does not ignore) is read; a line that matches a
 * rule fails the build with its file, line and the rule it breaks. Run alone with
 * {@code ./mvnw -pl build-checks verify}.
 */
class ProductLanguageTest {

    /** What a rule forbids, the pattern that finds it, and the files it applies to. */
    record Rule(String forbids, Pattern pattern, Scope scope) {

        static Rule of(String forbids, String regex) {
            return new Rule(forbids, Pattern.compile(regex), Scope.EVERYWHERE);
        }
    }

    /** Which files a rule reads. */
    enum Scope {
        EVERYWHERE,
        /** Not CHANGELOG.md (history belongs there) nor the header of docs/performance.md. */
        OUTSIDE_HISTORY,
        /** Markdown only. */
        MARKDOWN
    }

    private static final String HEX_ID = "(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}";

    static final List<Rule> RULES = List.of(
            Rule.of("a numbered work period", "(?i)\\bsessions? [0-9]+"),
            Rule.of("a citation of notes outside the repository", "(?i)\\bseeds? 0*[0-4]\\b"),
            Rule.of("a citation of notes outside the repository", "(?i)seeds?[_-]?0[0-9]{2}"),
            Rule.of("a citation of notes outside the repository", "(?i)\\bthe seeds\\b"),
            Rule.of("a citation of notes outside the repository", "(?i)seeds'"),
            Rule.of("a citation of notes outside the repository", "(?i)\\bseeds? sketch"),
            Rule.of("a citation of notes outside the repository", "(?i)\\bdesign notes\\b"),
            Rule.of("a link to the engineering log, which is not kept", "engineering-notes"),
            Rule.of("the machine of one run", "(?i)\\bthis (?:machine|session)\\b|\\bthis [\\w-]+ machine\\b"),
            Rule.of("the history of an experiment", "(?i)\\btried\\b.{0,40}(?:reverted|not kept|not merged)"),
            new Rule(
                    "a commit as history",
                    Pattern.compile("`" + HEX_ID + "`|\\b(?:[Cc]ommit|[Bb]uilds?|[Rr]evision) " + HEX_ID + "\\b"),
                    Scope.OUTSIDE_HISTORY),
            new Rule(
                    "a hand-written test count (it drifts)",
                    Pattern.compile("(?i)\\b[0-9]+ (?:unit |integration |system )?tests\\b"),
                    Scope.MARKDOWN));

    /**
     * Legitimate words that a rule would otherwise catch: a match inside one of these phrases is
     * allowed. The development seeder (DevHolderSeed, {@code aiw3.upgrade.dev-seed.*}), key seeds and
     * random seeds.
     */
    static final List<Pattern> ALLOWED_PHRASES = List.of(
            Pattern.compile("(?i)\\bdev(?:elopment)?[ _-]?(?:holder[ _-]?)?seed\\w*"),
            Pattern.compile("(?i)\\b(?:random|key|keypair|ed25519|rng|prng)[ -]seeds?\\b(?: [0-9]+\\b)?"));

    /** This file states the rules, so it holds their words. */
    private static final Set<String> EXEMPT =
            Set.of("build-checks/src/test/java/com/aiw3/checks/ProductLanguageTest.java");

    private static final String PERFORMANCE_PAGE = "docs/performance.md";
    private static final String CHANGELOG = "CHANGELOG.md";
    private static final long LARGEST_TEXT = 1 << 20;

    @Test
    void everyDocCommentTestNameAndReadmeDescribesTheProductOnly() {
        Path root = RepositoryRoot.find();
        List<String> violations = new ArrayList<>();
        for (String file : textFiles(root)) {
            if (!EXEMPT.contains(file)) {
                violations.addAll(check(file, read(root.resolve(file))));
            }
        }
        assertThat(violations)
                .as(
                        "Docs, comments, test names and READMEs describe the product as it is now: state the"
                                + " requirement or decision in the project's own words; history belongs in git and"
                                + " CHANGELOG.md (allowed words: %s)",
                        ALLOWED_PHRASES)
                .isEmpty();
    }

    @Test
    void theRulesCatchWorkLogWordsAndLetTheSeederAndKeySeedsPass() {
        assertThat(check("README.md", "Measured in session 9 on this machine."))
                .singleElement()
                .asString()
                .contains("a numbered work period", "the machine of one run");
        assertThat(check("a/Foo.java", "/** The golden rule (seed 001). */")).hasSize(1);
        assertThat(check("a/FooTest.java", "    void seed002PathsStillWork() {"))
                .hasSize(1);
        assertThat(check("a/FooTest.java", "    void theHappyPathIsSeed003sOrder() {"))
                .hasSize(1);
        assertThat(check("a/README.md", "against the seeds' Node.js sketch")).hasSize(1);
        assertThat(check("a/README.md", "what was tried, measured and reverted"))
                .hasSize(1);
        assertThat(check("a/README.md", "a run of build `fe18eac`")).hasSize(1);
        assertThat(check("a/README.md", "`SseGatewayIntegrationTest`, 13 tests"))
                .hasSize(1);
        assertThat(check("a/README.md", "see [the notes](../docs/engineering-notes.md)"))
                .hasSize(1);

        assertThat(check("a/DevHolderSeed.java", "class DevHolderSeed implements ApplicationRunner {"))
                .isEmpty();
        assertThat(check("a/README.md", "seeds the development holder (`aiw3.upgrade.dev-seed.*`)"))
                .isEmpty();
        assertThat(check("a/Chain.java", "// HMAC-SHA256 gives the ed25519 seed of the mint's keypair"))
                .isEmpty();
        assertThat(check("a/Test.java", "// with random seed 3 the order is shuffled"))
                .isEmpty();
        assertThat(check("a/Test.java", "long seed = System.nanoTime();")).isEmpty();
        assertThat(check("a/README.md", "`SseGatewayIntegrationTest` proves resume"))
                .isEmpty();
        assertThat(check(PERFORMANCE_PAGE, "# Performance\n\nCommit `fe18eac`, 2 cores.\n\n## sse-gateway\n"))
                .isEmpty();
        assertThat(check(PERFORMANCE_PAGE, "# Performance\n\n## sse-gateway\n\nat `fe18eac`\n"))
                .hasSize(1);
        assertThat(check(CHANGELOG, "- fixed in `fe18eac`")).isEmpty();
    }

    /** The lines of a file that break a rule, each as {@code path:line: what it forbids: the line}. */
    static List<String> check(String file, String text) {
        List<String> violations = new ArrayList<>();
        boolean markdown = file.endsWith(".md");
        boolean inPerformanceHeader = file.equals(PERFORMANCE_PAGE);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (inPerformanceHeader && line.startsWith("## ")) {
                inPerformanceHeader = false;
            }
            Set<String> broken = new LinkedHashSet<>();
            for (Rule rule : RULES) {
                boolean applies = switch (rule.scope()) {
                    case EVERYWHERE -> true;
                    case OUTSIDE_HISTORY -> !file.equals(CHANGELOG) && !inPerformanceHeader;
                    case MARKDOWN -> markdown;
                };
                if (applies && breaks(rule, line)) {
                    broken.add(rule.forbids());
                }
            }
            if (!broken.isEmpty()) {
                violations.add("%s:%d: %s: %s".formatted(file, i + 1, String.join("; ", broken), line.strip()));
            }
        }
        return violations;
    }

    private static boolean breaks(Rule rule, String line) {
        Matcher found = rule.pattern().matcher(line);
        while (found.find()) {
            if (!allowed(line, found.start(), found.end())) {
                return true;
            }
        }
        return false;
    }

    private static boolean allowed(String line, int start, int end) {
        for (Pattern phrase : ALLOWED_PHRASES) {
            Matcher allowed = phrase.matcher(line);
            while (allowed.find()) {
                if (allowed.start() <= start && end <= allowed.end()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The files git tracks plus the new ones it does not ignore, so a file is checked before it is
     * committed. Without git (an exported source tree), every file outside build output and
     * dependencies.
     */
    private static List<String> textFiles(Path root) {
        List<String> files;
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            files = git.waitFor() == 0 ? List.of(out.split("\0")) : walk(root);
        } catch (IOException e) {
            files = walk(root);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return files.stream()
                .filter(f -> !f.isEmpty())
                .filter(f -> isText(root.resolve(f)))
                .sorted()
                .toList();
    }

    private static List<String> walk(Path root) {
        Set<String> skipped = Set.of(".git", "target", "node_modules", ".local-run", "dist", ".idea");
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .map(root::relativize)
                    .filter(p -> {
                        for (Path part : p) {
                            if (skipped.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .map(p -> p.toString().replace('\\', '/'))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isText(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > LARGEST_TEXT) {
                return false;
            }
            for (byte b : Files.readAllBytes(file)) {
                if (b == 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
