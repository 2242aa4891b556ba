package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The frontend in headless Chromium against this platform: the kit ({@code frontend/e2e/kit.e2e.mjs}), the demo
 * app's components from their own origin with a test wallet registered through the Wallet Standard that signs
 * with its own key on the local chain; and the inbox ({@code frontend/e2e/inbox.e2e.mjs}), the demo page that
 * api-gateway serves at {@code /demo/} open twice for one user. Needs Debian's {@code chromium} ({@code .ci/run}
 * installs it); without it the tests are skipped, except under CI, where they fail.
 */
class BrowserKitIntegrationTest {

    private static boolean prepared;

    private final Platform platform = Platform.get();

    @Test
    void theKitUpgradesInChromiumThroughRejectionWrongAccountADroppedStreamAndTryAgain() throws Exception {
        Path chromium = chromium();
        Path frontend = prepare();
        run(frontend.resolve("demo-app"), List.of("npm", "ci", "--no-audit", "--no-fund"));
        run(frontend.resolve("demo-app"), List.of("npm", "run", "build"));

        Run e2e = e2e(frontend, "kit.e2e.mjs", chromium);

        assertThat(e2e.exit())
                .as("kit.e2e.mjs: %s (its whole output above; screenshots in frontend/e2e/artifacts)", e2e.failures())
                .isZero();
    }

    @Test
    void aReadOnOnePageClearsTheUnreadBadgeOnTheUsersSecondPageOverTheStream() throws Exception {
        Path chromium = chromium();
        Path frontend = prepare();

        Run e2e = e2e(frontend, "inbox.e2e.mjs", chromium);

        assertThat(e2e.exit())
                .as("inbox.e2e.mjs: %s (its whole output above; screenshots in frontend/e2e/artifacts)", e2e.failures())
                .isZero();
    }

    private static Path chromium() {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Chromium is missing at " + chromium + ": apt-get install -y chromium");
            }
            assumeTrue(false, "no Chromium at " + chromium + " (apt-get install -y chromium)");
        }
        return chromium;
    }

    /** The client library's build (the demo page imports it from api-gateway) and the e2e scripts' packages, once. */
    private Path prepare() throws Exception {
        Path frontend = platform.repo.resolve("frontend");
        synchronized (BrowserKitIntegrationTest.class) {
            if (!prepared) {
                if (!Files.exists(frontend.resolve("client/dist/src/index.js"))
                        || !Files.exists(frontend.resolve("client/dist/src/inbox.js"))) {
                    run(frontend.resolve("client"), List.of("npm", "ci", "--no-audit", "--no-fund"));
                    run(frontend.resolve("client"), List.of("npm", "run", "build"));
                }
                run(frontend.resolve("e2e"), List.of("npm", "ci", "--no-audit", "--no-fund"));
                prepared = true;
            }
        }
        return frontend;
    }

    /** A script's exit code and its output. */
    private record Run(int exit, List<String> output) {

        /** The lines that say what failed, so the assertion names the failing scenario even where the output is cut. */
        String failures() {
            return output.stream()
                    .filter(line -> line.contains("not ok") || line.contains("Error:"))
                    .limit(12)
                    .toList()
                    .toString();
        }
    }

    private Run e2e(Path frontend, String script, Path chromium) throws Exception {
        return run(
                frontend.resolve("e2e"),
                List.of("node", script),
                Map.of(
                        "AIW3_BASE_URL", platform.gateway(),
                        "AIW3_SOLANA_URL", platform.nodeUrl(),
                        "AIW3_IPFS_URL", platform.ipfsGateway(),
                        "CHROMIUM", chromium.toString()));
    }

    private static void run(Path dir, List<String> command) throws Exception {
        assertThat(run(dir, command, Map.of()).exit())
                .as(String.join(" ", command) + " in " + dir)
                .isZero();
    }

    private static Run run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        // The output goes through this JVM's console (a child writing to it directly corrupts Failsafe's stream).
        Path log = Files.createTempFile("browser-e2e", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        List<String> output = Files.readAllLines(log);
        output.forEach(line -> System.out.println("[" + command.getLast() + "] " + line));
        Files.delete(log);
        if (!finished) {
            fail(String.join(" ", command) + " did not finish in 5 minutes: " + new Run(-1, output).failures());
        }
        return new Run(process.exitValue(), output);
    }
}
