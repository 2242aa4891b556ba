package com.aiw3.upgrade.upgrade;

import com.aiw3.upgrade.chain.SignedMint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every mint transaction signed for an upgrade or a claim, recorded before it is sent: on recovery the chain
 * is asked about these signatures before anything new is signed. Upgrade and claim ids are distinct UUIDs, so
 * a process's attempts are found by its id alone.
 */
@Component
class MintAttempts {

    /** Whose mint: the column that names the process, and the tag of the mint's memo. */
    enum Of {
        UPGRADE("upgrade_id", "aiw3-upgrade"),
        CLAIM("claim_id", "aiw3-claim");

        private final String column;
        private final String memoTag;

        Of(String column, String memoTag) {
            this.column = column;
            this.memoTag = memoTag;
        }

        String memoTag() {
            return memoTag;
        }
    }

    private final JdbcClient jdbc;

    MintAttempts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<String> signatures(UUID processId) {
        return jdbc.sql("""
                        select signature from mint_attempts where upgrade_id = :id or claim_id = :id
                        order by created_at""")
                .param("id", processId)
                .query((rs, row) -> rs.getString(1))
                .list();
    }

    /** When the process's latest mint attempt was signed, if any. */
    Optional<Instant> lastSignedAt(UUID processId) {
        return jdbc.sql("select max(created_at) from mint_attempts where upgrade_id = :id or claim_id = :id")
                .param("id", processId)
                .query((rs, row) ->
                        rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant())
                .optional();
    }

    /** Re-signing the same message within one blockhash gives the same signature: a rebroadcast, not a new attempt. */
    void record(Of of, UUID processId, SignedMint mint) {
        jdbc.sql("""
                        insert into mint_attempts (signature, %s, mint_address, blockhash)
                        values (:sig, :id, :mint, :blockhash)
                        on conflict (signature) do nothing""".formatted(of.column))
                .param("sig", mint.signature())
                .param("id", processId)
                .param("mint", mint.mintAddress())
                .param("blockhash", mint.blockhash())
                .update();
    }
}
