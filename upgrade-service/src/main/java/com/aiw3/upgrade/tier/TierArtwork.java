package com.aiw3.upgrade.tier;

import com.aiw3.upgrade.metadata.Cid;
import com.aiw3.upgrade.metadata.MetadataStore;
import com.aiw3.upgrade.metadata.MetadataUploadException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every tier's artwork, pinned on IPFS (ADR 0028). The artwork ships with the service as
 * {@code artwork/tier-<level>.svg}; a tier's image is {@code ipfs://<cid>} of that file, and only once the
 * IPFS endpoint has answered an add of it with exactly the CID of its bytes.
 *
 * <p>At start-up every tier's file is added once (pinning is idempotent: the same bytes, the same CID),
 * and what was not pinned is added again every {@code aiw3.upgrade.ipfs.artwork-retry-interval}. A CID
 * recorded in {@code tier_artwork} counts from start-up if it is the CID of the file this build ships;
 * a recorded CID of other bytes (the artwork changed) does not. Until a tier's artwork is pinned, its
 * image is absent and upgrades to it wait before their metadata is written
 * ({@code aiw3_upgrade_artwork_unpinned} counts those tiers).
 */
@Component
public class TierArtwork {

    private static final Logger log = LoggerFactory.getLogger(TierArtwork.class);
    static final String CONTENT_TYPE = "image/svg+xml";

    /** One tier's artwork file as this build ships it. */
    record Artwork(int tierId, String file, byte[] content, String cid) {}

    private final JdbcClient jdbc;
    private final MetadataStore ipfs;
    private final List<Artwork> artwork;
    /** Tier id to the CID a mint may use. */
    private final Map<Integer, String> pinned = new ConcurrentHashMap<>();
    /** Tiers this instance has added since it started. */
    private final Set<Integer> addedHere = ConcurrentHashMap.newKeySet();

    TierArtwork(JdbcClient jdbc, MetadataStore ipfs, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.ipfs = ipfs;
        this.artwork = jdbc.sql("select id, level from tiers order by level")
                .query((rs, row) -> load(rs.getInt("id"), rs.getInt("level")))
                .list();
        jdbc.sql("select tier_id, cid from tier_artwork")
                .query((rs, row) -> Map.entry(rs.getInt("tier_id"), rs.getString("cid")))
                .list()
                .forEach(recorded -> artwork.stream()
                        .filter(a -> a.tierId() == recorded.getKey() && a.cid().equals(recorded.getValue()))
                        .forEach(a -> pinned.put(a.tierId(), a.cid())));
        Gauge.builder("aiw3.upgrade.artwork.unpinned", this, TierArtwork::unpinned)
                .description("tiers whose artwork is not pinned on IPFS; upgrades to them wait")
                .register(meters);
    }

    /** {@code ipfs://<cid>} of the tier's pinned artwork; empty while it is not pinned. */
    public Optional<String> imageUri(int tierId) {
        return Optional.ofNullable(pinned.get(tierId)).map(cid -> "ipfs://" + cid);
    }

    /** The media type of every tier's artwork. */
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** How many tiers' artwork is not pinned. */
    public int unpinned() {
        return (int)
                artwork.stream().filter(a -> !pinned.containsKey(a.tierId())).count();
    }

    /** Adds every tier's artwork this instance has not added yet; a failed add is tried again next time. */
    @Scheduled(initialDelay = 0, fixedDelayString = "${aiw3.upgrade.ipfs.artwork-retry-interval:30s}")
    void pinMissing() {
        for (Artwork a : artwork) {
            if (addedHere.contains(a.tierId())) {
                continue;
            }
            try {
                String cid = ipfs.add(a.file().substring(a.file().lastIndexOf('/') + 1), CONTENT_TYPE, a.content());
                jdbc.sql("""
                                insert into tier_artwork (tier_id, file, cid) values (:tier, :file, :cid)
                                on conflict (tier_id) do update set file = excluded.file, cid = excluded.cid,
                                    pinned_at = now()""")
                        .param("tier", a.tierId())
                        .param("file", a.file())
                        .param("cid", cid)
                        .update();
                pinned.put(a.tierId(), cid);
                addedHere.add(a.tierId());
                log.info("tier {} artwork {} pinned on IPFS as {}", a.tierId(), a.file(), cid);
            } catch (MetadataUploadException e) {
                log.warn(
                        "tier {} artwork {} is not pinned on IPFS ({}); upgrades to the tier wait, the add is retried",
                        a.tierId(),
                        a.file(),
                        e.getMessage());
            } catch (RuntimeException e) {
                log.warn(
                        "tier {} artwork {}: recording its pin failed; retried: {}",
                        a.tierId(),
                        a.file(),
                        e.toString());
            }
        }
    }

    private static Artwork load(int tierId, int level) {
        String file = "artwork/tier-" + level + ".svg";
        ClassPathResource resource = new ClassPathResource(file);
        try (InputStream in = resource.getInputStream()) {
            byte[] content = in.readAllBytes();
            return new Artwork(tierId, file, content, Cid.rawV1(content));
        } catch (IOException e) {
            throw new IllegalStateException("tier " + tierId + " has no artwork: " + file + " is missing", e);
        }
    }
}
