package com.aiw3.upgrade.upgrade;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.ClaimStatus;
import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.upgrade.UpgradeProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The claims table and its one way of changing status: {@link #move}, which checks the state machine, bumps
 * the version (optimistic lock) and publishes the transition through the outbox in the same transaction.
 * Callers hold the transaction.
 */
@Component
class ClaimStore {

    private static final String COLUMNS = """
            id, user_id, wallet_address, tier_id, status, version, requirements::text as requirements, metadata_cid,
            metadata_uri, mint_address, mint_signature, failure_reason, created_at, updated_at""";

    private final JdbcClient jdbc;
    private final EventPublisher events;
    private final String source;
    private final ProcessRows<Claim> rows;
    private final JsonMapper json;

    ClaimStore(
            JdbcClient jdbc,
            EventPublisher events,
            MessagingProperties messaging,
            UpgradeProperties properties,
            JsonMapper json) {
        this.jdbc = jdbc;
        this.events = events;
        this.source = messaging.source();
        this.rows = new ProcessRows<>(jdbc, "nft_claims", COLUMNS, ClaimStore::map, properties.lease());
        this.json = json;
    }

    Optional<Claim> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from nft_claims where id = :id")
                .param("id", id)
                .query(ClaimStore::map)
                .optional();
    }

    /** The claim that holds the user's one claim: any but those that ended unqualified. */
    Optional<Claim> claimOfUser(String userId) {
        return jdbc.sql("select " + COLUMNS
                        + " from nft_claims where user_id = :user and status <> 'qualification_failed'")
                .param("user", userId)
                .query(ClaimStore::map)
                .optional();
    }

    /** The claim that holds the wallet's one claim. */
    Optional<Claim> claimOfWallet(String wallet) {
        return jdbc.sql("select " + COLUMNS
                        + " from nft_claims where wallet_address = :wallet and status <> 'qualification_failed'")
                .param("wallet", wallet)
                .query(ClaimStore::map)
                .optional();
    }

    /** Inserts a new claim at {@code initializing} and publishes {@link ClaimEvent.ClaimInitiated}. */
    Claim create(ClaimEvent.ClaimInitiated initiated) {
        Claim created = jdbc.sql("""
                        insert into nft_claims (id, user_id, wallet_address, tier_id, status)
                        values (:id, :user, :wallet, :tier, :status)""" + " returning " + COLUMNS)
                .param("id", initiated.claimId())
                .param("user", initiated.userId())
                .param("wallet", initiated.walletAddress())
                .param("tier", initiated.tierId())
                .param("status", ClaimStatus.INITIALIZING.wireName())
                .query(ClaimStore::map)
                .single();
        publish(initiated);
        return created;
    }

    /** What a transition records besides the status; each kind is one or two columns of the claim. */
    sealed interface Change {
        /** Every requirement of the first tier with the user's standing. */
        record Requirements(List<Requirement> requirements) implements Change {}

        /** Why the claim stopped; null clears it (an operator's retry). */
        record FailureReason(@Nullable String reason) implements Change {}

        /** The NFT's metadata on IPFS. */
        record Metadata(String cid, String uri) implements Change {}

        /** The mint address derived for the claim. */
        record MintAddress(String address) implements Change {}

        /** The signature of the mint that landed. */
        record MintSignature(String signature) implements Change {}

        /** Nobody drives the claim until the pipeline leases it again. */
        record LeaseReleased() implements Change {}
    }

    private void columns(Change change, Map<String, @Nullable Object> values) {
        switch (change) {
            case Change.Requirements(List<Requirement> requirements) ->
                values.put("requirements", json.writeValueAsString(requirements));
            case Change.FailureReason(String reason) -> values.put("failure_reason", reason);
            case Change.Metadata(String cid, String uri) -> {
                values.put("metadata_cid", cid);
                values.put("metadata_uri", uri);
            }
            case Change.MintAddress(String address) -> values.put("mint_address", address);
            case Change.MintSignature(String signature) -> values.put("mint_signature", signature);
            case Change.LeaseReleased() -> values.put("lease_owner", null);
        }
    }

    /**
     * Moves the claim to {@code event.status()}, recording {@code changes} with it.
     *
     * @throws StaleUpgradeException if the claim is no longer at {@code from}'s version
     */
    Claim move(Claim from, ClaimEvent event, Change... changes) {
        ClaimStatus to = event.status();
        if (!ClaimStateMachine.allows(from.status(), to)) {
            throw new IllegalStateException("no move of a claim from " + from.status() + " to " + to);
        }
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (Change change : changes) {
            columns(change, values);
        }
        values.put("status", to.wireName());
        return update(from, values, event);
    }

    /**
     * Records the mint address the current system key derives, in place of one derived by a previous key (no
     * status change, no event: the address is published with the mint's result).
     */
    Claim replaceMintAddress(Claim from, String mintAddress) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        values.put("mint_address", mintAddress);
        return update(from, values, null);
    }

    private Claim update(Claim from, Map<String, @Nullable Object> values, @Nullable ClaimEvent event) {
        Claim moved = rows.update(from.id(), from.version(), values)
                .orElseThrow(() ->
                        new StaleUpgradeException("claim " + from.id() + " moved on since version " + from.version()));
        if (event != null) {
            publish(event);
        }
        return moved;
    }

    private void publish(ClaimEvent event) {
        events.publish(EventEnvelope.correlated(event.claimId(), event, source));
    }

    // ---- idempotency keys ------------------------------------------------------------------------

    Optional<UUID> idempotent(String userId, String key) {
        return jdbc.sql("""
                        select claim_id from claim_idempotency_keys
                        where user_id = :user and idempotency_key = :key""")
                .param("user", userId)
                .param("key", key)
                .query(UUID.class)
                .optional();
    }

    void rememberIdempotent(String userId, String key, UUID claimId) {
        jdbc.sql("""
                        insert into claim_idempotency_keys (user_id, idempotency_key, claim_id)
                        values (:user, :key, :claim)""")
                .param("user", userId)
                .param("key", key)
                .param("claim", claimId)
                .update();
    }

    // ---- leases: which instance drives an in-flight claim ------------------------------------------

    boolean lease(UUID id, String owner) {
        return rows.lease(id, owner);
    }

    void release(UUID id, String owner) {
        rows.release(id, owner);
    }

    List<UUID> abandoned(int limit) {
        return jdbc.sql("""
                        select id from nft_claims
                        where status in ('qualification_verified', 'uploading_metadata', 'metadata_uploaded',
                                         'minting_nft', 'mint_confirmed')
                          and (lease_until is null or lease_until < now())
                        order by updated_at limit :limit""")
                .param("limit", limit)
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    private static Claim map(ResultSet rs, int row) throws SQLException {
        return new Claim(
                rs.getObject("id", UUID.class),
                rs.getString("user_id"),
                rs.getString("wallet_address"),
                rs.getInt("tier_id"),
                ClaimStatus.fromWireName(rs.getString("status")),
                rs.getInt("version"),
                rs.getString("requirements"),
                rs.getString("metadata_cid"),
                rs.getString("metadata_uri"),
                rs.getString("mint_address"),
                rs.getString("mint_signature"),
                rs.getString("failure_reason"),
                Objects.requireNonNull(instant(rs, "created_at")),
                Objects.requireNonNull(instant(rs, "updated_at")));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
