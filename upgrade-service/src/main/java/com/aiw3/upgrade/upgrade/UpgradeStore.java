package com.aiw3.upgrade.upgrade;

import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.events.upgrade.UpgradeStatus;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.messaging.tracing.MessageTracing;
import com.aiw3.upgrade.upgrade.ProcessRows.Change;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
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
            metadata_cid, metadata_uri, new_mint_address, mint_signature, failure_reason, created_at, updated_at,
            trace_parent""";

    private static final ProcessRows.Table<UpgradeStatus> TABLE = new ProcessRows.Table<>(
            "upgrade_requests",
            "upgrade",
            COLUMNS,
            "new_mint_address",
            UpgradeStateMachine::allows,
            UpgradeStatus::wireName,
            UpgradeStateMachine.IN_FLIGHT);

    private final JdbcClient jdbc;
    private final MessageTracing tracing;
    private final ProcessRows<Upgrade, UpgradeStatus> rows;

    UpgradeStore(
            JdbcClient jdbc,
            EventPublisher events,
            MessagingProperties messaging,
            com.aiw3.upgrade.UpgradeProperties properties,
            JsonMapper json,
            MessageTracing tracing) {
        this.jdbc = jdbc;
        this.tracing = tracing;
        this.rows = new ProcessRows<>(jdbc, TABLE, UpgradeStore::map, properties, json, events, messaging);
    }

    Optional<Upgrade> find(UUID id) {
        return rows.find(id);
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
        Upgrade created = jdbc.sql("""
                        insert into upgrade_requests (id, user_id, wallet_address, current_nft_id, current_nft_mint,
                            from_tier_id, target_tier_id, status, trace_parent)
                        values (:id, :user, :wallet, :nft, :mint, :from, :target, :status, :traceParent)""" + " returning " + COLUMNS)
                .param("id", initial.id())
                .param("user", initial.userId())
                .param("wallet", initial.walletAddress())
                .param("nft", initial.currentNftId())
                .param("mint", initial.currentNftMint())
                .param("from", initial.fromTierId())
                .param("target", initial.targetTierId())
                .param("status", UpgradeStatus.INITIALIZING.wireName())
                .param("traceParent", tracing.currentTraceParent())
                .query(UpgradeStore::map)
                .single();
        rows.publish(initial.id(), event);
        return created;
    }

    /** The upgrade's one way of changing status: {@link ProcessRows#move} to the status {@code event} names. */
    Upgrade move(Upgrade from, UpgradeEvent event, Change... changes) {
        return rows.move(from, event.status(), event, changes);
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

    /** The upgrades table as the pipeline's driver leases and resumes its rows. */
    ProcessRows<Upgrade, UpgradeStatus> rows() {
        return rows;
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
        return rows.change(from, new Change.MintAddress(mintAddress));
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
                ProcessRows.instant(rs, "burn_deadline"),
                rs.getString("burn_tx_signature"),
                rs.getString("metadata_cid"),
                rs.getString("metadata_uri"),
                rs.getString("new_mint_address"),
                rs.getString("mint_signature"),
                rs.getString("failure_reason"),
                Objects.requireNonNull(ProcessRows.instant(rs, "created_at")),
                Objects.requireNonNull(ProcessRows.instant(rs, "updated_at")),
                rs.getString("trace_parent"));
    }
}
