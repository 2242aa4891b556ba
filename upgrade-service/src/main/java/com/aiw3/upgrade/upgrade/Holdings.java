package com.aiw3.upgrade.upgrade;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The users' NFT holdings ({@code user_nfts}) as the upgrade changes them outside its completion. */
@Component
class Holdings {

    private final JdbcClient jdbc;

    Holdings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that the active holding {@code nftId} left its wallet (ADR 0029): it stays as history and is
     * no longer the user's active NFT. One statement; false if it was not active (already transferred, or
     * burned by a completed upgrade meanwhile).
     */
    boolean markTransferred(UUID nftId) {
        return jdbc.sql("""
                        update user_nfts set status = 'transferred', transferred_at = now(), version = version + 1
                        where id = :id and status = 'active'""").param("id", nftId).update() == 1;
    }
}
