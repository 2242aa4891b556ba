package com.aiw3.upgrade.upgrade;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.aiw3.events.upgrade.UpgradeStatus;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
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
 * The upgrades table and its one way of changing status: {@link #move}, which checks the state machine,
 * bumps the version (optimistic lock) and publishes the transition through the outbox in the same
 * transaction. Callers hold the transaction.
 */
@Component
class UpgradeStore {

    private static final String COLUMNS = """
            id, user_id, wallet_address, current_nft_id, current_nft_mint, from_tier_id, target_tier_id, status,
            version, requirements::text as requirements, burn_transaction, burn_deadline, burn_tx_signature,
            metadata_cid, metadata_uri, new_mint_address, mint_signature, failure_reason, created_at, updated_at""";

    private final JdbcClient jdbc;
    private final EventPublisher events;
    private final String source;
    private final ProcessRows<Upgrade> rows;
    private final JsonMapper json;

    UpgradeStore(
            JdbcClient jdbc,
            EventPublisher events,
            MessagingProperties messaging,
            com.aiw3.upgrade.UpgradeProperties properties,
            JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
        this.source = messaging.source();
        this.rows = new ProcessRows<>(jdbc, "upgrade_requests", COLUMNS, UpgradeStore::map, properties.lease());
    }

    Optional<Upgrade> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from upgrade_requests where id = :id")
                .param("id", id)
                .query(UpgradeStore::map)
                .optional();
    }

    List<Upgrade> history(String userId, int page, int size) {
        return jdbc.sql("select " + COLUMNS
                        + " from upgrade_requests where user_id = :user order by created_at desc, id desc"
                        + " limit :size offset :offset")
                .param("user", userId)
                .param("size", size)
                .param("offset", (long) page * size)
                .query(UpgradeStore::map)
                .list();
    }

    long count(String userId) {
        return jdbc.sql("select count(*) from upgrade_requests where user_id = :user")
                .param("user", userId)
                .query(Long.class)
                .single();
    }

    Optional<UUID> openUpgradeOf(String userId) {
        return jdbc.sql("""
                        select id from upgrade_requests where user_id = :user
                        and status not in ('completed', 'cancelled', 'qualification_failed', 'burn_failed')""").param("user", userId).query(UUID.class).optional();
    }

    boolean burnSignatureUsed(String signature) {
        return jdbc.sql("select exists (select 1 from upgrade_requests where burn_tx_signature = :sig)")
                .param("sig", signature)
                .query(Boolean.class)
                .single();
    }

    /** Inserts a new upgrade at {@code initializing} and publishes {@link UpgradeEvent.UpgradeInitiated}. */
    Upgrade create(Upgrade initial, UpgradeEvent.UpgradeInitiated event) {
        jdbc.sql("""
                        insert into upgrade_requests (id, user_id, wallet_address, current_nft_id, current_nft_mint,
                            from_tier_id, target_tier_id, status)
                        values (:id, :user, :wallet, :nft, :mint, :from, :target, :status)""")
                .param("id", initial.id())
                .param("user", initial.userId())
                .param("wallet", initial.walletAddress())
                .param("nft", initial.currentNftId())
                .param("mint", initial.currentNftMint())
                .param("from", initial.fromTierId())
                .param("target", initial.targetTierId())
                .param("status", UpgradeStatus.INITIALIZING.wireName())
                .update();
        publish(initial.id(), event);
        return initial;
    }

    /** What a transition records besides the status; each kind is one or two columns of the upgrade. */
    sealed interface Change {
        /** Every requirement of the target tier with the user's standing. */
        record Requirements(List<Requirement> requirements) implements Change {}

        /** Why the upgrade stopped; null clears it (a retry, a late burn). */
        record FailureReason(@Nullable String reason) implements Change {}

        /** The unsigned burn for the user's wallet and the time it must be confirmed by. */
        record BurnPrepared(String transaction, Instant deadline) implements Change {}

        /** The signature of the burn that was verified or that failed on chain. */
        record BurnSignature(String signature) implements Change {}

        /** The new NFT's metadata on IPFS. */
        record Metadata(String cid, String uri) implements Change {}

        /** The mint address derived for the upgrade. */
        record MintAddress(String address) implements Change {}

        /** The signature of the mint that landed. */
        record MintSignature(String signature) implements Change {}

        /** Nobody drives the upgrade until the pipeline claims it again. */
        record LeaseReleased() implements Change {}
    }

    private void columns(Change change, Map<String, @Nullable Object> values) {
        switch (change) {
            case Change.Requirements(List<Requirement> requirements) ->
                values.put("requirements", json.writeValueAsString(requirements));
            case Change.FailureReason(String reason) -> values.put("failure_reason", reason);
            case Change.BurnPrepared(String transaction, Instant deadline) -> {
                values.put("burn_transaction", transaction);
                values.put("burn_deadline", deadline);
            }
            case Change.BurnSignature(String signature) -> values.put("burn_tx_signature", signature);
            case Change.Metadata(String cid, String uri) -> {
                values.put("metadata_cid", cid);
                values.put("metadata_uri", uri);
            }
            case Change.MintAddress(String address) -> values.put("new_mint_address", address);
            case Change.MintSignature(String signature) -> values.put("mint_signature", signature);
            case Change.LeaseReleased() -> values.put("lease_owner", null);
        }
    }

    /**
     * Moves the upgrade to {@code event.status()}, recording {@code changes} with it.
     *
     * @throws StaleUpgradeException if the upgrade is no longer at {@code from}'s version
     */
    Upgrade move(Upgrade from, UpgradeEvent event, Change... changes) {
        UpgradeStatus to = event.status();
        if (!UpgradeStateMachine.allows(from.status(), to)) {
            throw new IllegalStateException("no move from " + from.status() + " to " + to);
        }
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (Change change : changes) {
            columns(change, values);
        }
        values.put("status", to.wireName());
        Upgrade moved = rows.update(from.id(), from.version(), values)
                .orElseThrow(() -> new StaleUpgradeException(
                        "upgrade " + from.id() + " moved on since version " + from.version()));
        publish(from.id(), event);
        return moved;
    }

    private void publish(UUID upgradeId, UpgradeEvent event) {
        events.publish(EventEnvelope.correlated(upgradeId, event, source));
    }

    // ---- idempotency keys ------------------------------------------------------------------------

    record IdempotentRequest(UUID upgradeId, String requestHash) {}

    Optional<IdempotentRequest> idempotent(String userId, String key) {
        return jdbc.sql("""
                        select upgrade_id, request_hash from upgrade_idempotency_keys
                        where user_id = :user and idempotency_key = :key""")
                .param("user", userId)
                .param("key", key)
                .query((rs, row) ->
                        new IdempotentRequest(rs.getObject("upgrade_id", UUID.class), rs.getString("request_hash")))
                .optional();
    }

    void rememberIdempotent(String userId, String key, String requestHash, UUID upgradeId) {
        jdbc.sql("""
                        insert into upgrade_idempotency_keys (user_id, idempotency_key, request_hash, upgrade_id)
                        values (:user, :key, :hash, :upgrade)""")
                .param("user", userId)
                .param("key", key)
                .param("hash", requestHash)
                .param("upgrade", upgradeId)
                .update();
    }

    // ---- leases: which instance drives an in-flight upgrade ----------------------------------------

    boolean claim(UUID id, String owner) {
        return rows.lease(id, owner);
    }

    void release(UUID id, String owner) {
        rows.release(id, owner);
    }

    List<UUID> abandoned(int limit) {
        return jdbc.sql("""
                        select id from upgrade_requests
                        where status in ('burn_verified', 'uploading_metadata', 'metadata_uploaded', 'minting_new_nft',
                                         'updating_records')
                          and (lease_until is null or lease_until < now())
                        order by updated_at limit :limit""")
                .param("limit", limit)
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    List<UUID> expiredBurns(int limit) {
        return jdbc.sql("""
                        select id from upgrade_requests where status = 'awaiting_burn' and burn_deadline < now()
                        order by burn_deadline limit :limit""")
                .param("limit", limit)
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    /**
     * Records the mint address the current system key derives, in place of one derived by a previous
     * key (no status change, no event: the address is published with the mint's result).
     */
    Upgrade replaceMintAddress(Upgrade from, String mintAddress) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        values.put("new_mint_address", mintAddress);
        return rows.update(from.id(), from.version(), values)
                .orElseThrow(() -> new StaleUpgradeException(
                        "upgrade " + from.id() + " moved on since version " + from.version()));
    }

    private static Upgrade map(ResultSet rs, int row) throws SQLException {
        return new Upgrade(
                rs.getObject("id", UUID.class),
                rs.getString("user_id"),
                rs.getString("wallet_address"),
                rs.getObject("current_nft_id", UUID.class),
                rs.getString("current_nft_mint"),
                rs.getInt("from_tier_id"),
                rs.getInt("target_tier_id"),
                UpgradeStatus.fromWireName(rs.getString("status")),
                rs.getInt("version"),
                rs.getString("requirements"),
                rs.getString("burn_transaction"),
                instant(rs, "burn_deadline"),
                rs.getString("burn_tx_signature"),
                rs.getString("metadata_cid"),
                rs.getString("metadata_uri"),
                rs.getString("new_mint_address"),
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
