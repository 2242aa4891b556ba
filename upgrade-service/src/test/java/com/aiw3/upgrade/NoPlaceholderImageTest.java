package com.aiw3.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.upgrade.metadata.Cid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * No NFT names an image that is not the project's own artwork: no image URI is written into the code,
 * configuration or tier rows, and every tier's artwork is in the service.
 */
class NoPlaceholderImageTest {

    private static final Path MAIN = Path.of("src/main");
    private static final Path MIGRATIONS = MAIN.resolve("resources/db/migration");
    /** The first migration is immutable once applied; the column its image URIs went into is dropped later. */
    private static final Path FIRST_MIGRATION = MIGRATIONS.resolve("V1__upgrade.sql");

    /** A literal IPFS address, a placeholder image service, or a fixed image type in place of the artwork's. */
    private static final Pattern IMAGE_LITERAL = Pattern.compile(
            "ipfs://[A-Za-z0-9]|https?://[^\\s\"']*placehold|via\\.placeholder|\"image/(png|jpe?g|gif)\"",
            Pattern.CASE_INSENSITIVE);

    @Test
    void noSourceConfigurationOrMigrationNamesAnImageByALiteralAddress() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.equals(FIRST_MIGRATION))
                    .filter(f -> !f.toString().endsWith(".svg"))
                    .toList()) {
                Matcher m = IMAGE_LITERAL.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    found.add(file + ": " + m.group());
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void theImageUrisOfTheFirstMigrationAreDroppedByALaterOne() throws IOException {
        assertThat(Files.readString(FIRST_MIGRATION)).contains("image_uri");
        String later;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            later = files.filter(f -> !f.equals(FIRST_MIGRATION))
                    .map(NoPlaceholderImageTest::read)
                    .reduce("", String::concat);
        }
        assertThat(later).containsPattern("(?i)alter table tiers drop column image_uri");
    }

    @Test
    void everyTierHasItsOwnSvgArtworkThatLoadsNothingFromElsewhere() throws Exception {
        List<String> cids = new ArrayList<>();
        for (int level = 1; level <= 5; level++) {
            Path file = MAIN.resolve("resources/artwork/tier-" + level + ".svg");
            assertThat(file).as("artwork of tier " + level).exists();
            byte[] bytes = Files.readAllBytes(file);
            assertThat(bytes.length).as("one IPFS block").isLessThanOrEqualTo(Cid.MAX_SINGLE_BLOCK);
            Document svg =
                    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(new String(bytes, StandardCharsets.UTF_8))
                    .as("an NFT image must not depend on another server")
                    .doesNotContainPattern("href=\"(https?:|//)")
                    .doesNotContain("<image");
            cids.add(Cid.rawV1(bytes));
        }
        assertThat(cids).as("every tier looks different").doesNotHaveDuplicates();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
