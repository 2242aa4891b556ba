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
 * The frontend kit in headless Chromium against this platform ({@code frontend/e2e/kit.e2e.mjs}): the
 * demo app's components from their own origin, a test wallet registered through the Wallet Standard that
 * signs with its own key on the local chain. Needs Debian's {@code chromium} ({@code .ci/run} installs it);
 * without it the test is skipped, except under CI, where it fails.
 */
class BrowserKitIntegrationTest {

    private final Platform platform = Platform.get();

    @Test
    void theKitUpgradesInChromiumThroughRejectionWrongAccountADroppedStreamAndTryAgain() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Chromium is missing at " + chromium + ": apt-get install -y chromium");
            }
            assumeTrue(false, "no Chromium at " + chromium + " (apt-get install -y chromium)");
        }
        Path frontend = platform.repo.resolve("frontend");
        if (!Files.exists(frontend.resolve("client/dist/src/index.js"))) {
            run(frontend.resolve("client"), List.of("npm", "ci", "--no-audit", "--no-fund"));
            run(frontend.resolve("client"), List.of("npm", "run", "build"));
        }
        run(frontend.resolve("demo-app"), List.of("npm", "ci", "--no-audit", "--no-fund"));
        run(frontend.resolve("demo-app"), List.of("npm", "run", "build"));
        run(frontend.resolve("e2e"), List.of("npm", "ci", "--no-audit", "--no-fund"));

        int exit = run(
                frontend.resolve("e2e"),
                List.of("node", "kit.e2e.mjs"),
                Map.of(
                        "AIW3_BASE_URL", platform.gateway(),
                        "AIW3_SOLANA_URL", platform.nodeUrl(),
                        "AIW3_IPFS_URL", platform.ipfsGateway(),
                        "CHROMIUM", chromium.toString()));

        assertThat(exit)
                .as("kit.e2e.mjs (its output above; screenshots in frontend/e2e/artifacts)")
                .isZero();
    }

    private static void run(Path dir, List<String> command) throws Exception {
        assertThat(run(dir, command, Map.of()))
                .as(String.join(" ", command) + " in " + dir)
                .isZero();
    }

    private static int run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        // The output goes through this JVM's console (a child writing to it directly corrupts Failsafe's stream).
        Path log = Files.createTempFile("kit-e2e", ".log");
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
        Files.readAllLines(log).forEach(line -> System.out.println("[kit] " + line));
        Files.delete(log);
        if (!finished) {
            fail(String.join(" ", command) + " did not finish in 5 minutes");
        }
        return process.exitValue();
    }
}
