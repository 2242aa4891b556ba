package com.aiw3.upgrade.upgrade;

import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.ClaimStatus;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.messaging.tracing.MessageTracing;
import com.aiw3.upgrade.UpgradeProperties;
import com.aiw3.upgrade.upgrade.ProcessRows.Change;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
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
            metadata_uri, mint_address, mint_signature, failure_reason, created_at, updated_at, trace_parent""";

    private static final ProcessRows.Table<ClaimStatus> TABLE = new ProcessRows.Table<>(
            "nft_claims",
            "claim",
            COLUMNS,
            "mint_address",
            ClaimStateMachine::allows,
            ClaimStatus::wireName,
            ClaimStateMachine.IN_FLIGHT);

    private final JdbcClient jdbc;
    private final MessageTracing tracing;
    private final ProcessRows<Claim, ClaimStatus> rows;

    ClaimStore(
            JdbcClient jdbc,
            EventPublisher events,
            MessagingProperties messaging,
            UpgradeProperties properties,
            JsonMapper json,
            MessageTracing tracing) {
        this.jdbc = jdbc;
        this.tracing = tracing;
        this.rows = new ProcessRows<>(jdbc, TABLE, ClaimStore::map, properties, json, events, messaging);
    }

    Optional<Claim> find(UUID id) {
        return rows.find(id);
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
                        insert into nft_claims (id, user_id, wallet_address, tier_id, status, trace_parent)
                        values (:id, :user, :wallet, :tier, :status, :traceParent)""" + " returning " + COLUMNS)
                .param("id", initiated.claimId())
                .param("user", initiated.userId())
                .param("wallet", initiated.walletAddress())
                .param("tier", initiated.tierId())
                .param("status", ClaimStatus.INITIALIZING.wireName())
                .param("traceParent", tracing.currentTraceParent())
                .query(ClaimStore::map)
                .single();
        rows.publish(initiated.claimId(), initiated);
        return created;
    }

    /** The claim's one way of changing status: {@link ProcessRows#move} to the status {@code event} names. */
    Claim move(Claim from, ClaimEvent event, Change... changes) {
        return rows.move(from, event.status(), event, changes);
    }

    /**
     * Records the mint address the current system key derives, in place of one derived by a previous key (no
     * status change, no event: the address is published with the mint's result).
     */
    Claim replaceMintAddress(Claim from, String mintAddress) {
        return rows.change(from, new Change.MintAddress(mintAddress));
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

    /** The claims table as the pipeline's driver leases and resumes its rows. */
    ProcessRows<Claim, ClaimStatus> rows() {
        return rows;
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
                Objects.requireNonNull(ProcessRows.instant(rs, "created_at")),
                Objects.requireNonNull(ProcessRows.instant(rs, "updated_at")),
                rs.getString("trace_parent"));
    }
}
