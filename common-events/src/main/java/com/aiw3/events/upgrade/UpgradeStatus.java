package com.aiw3.events.upgrade;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The statuses and progress of an NFT upgrade, exactly as the frontend contract names them. */
public enum UpgradeStatus {
    INITIALIZING("initializing", 0, false),
    QUALIFICATION_VERIFIED("qualification_verified", 10, false),
    QUALIFICATION_FAILED("qualification_failed", 0, true),
    AWAITING_BURN("awaiting_burn", 20, false),
    BURN_VERIFIED("burn_verified", 40, false),
    BURN_FAILED("burn_failed", 20, true),
    UPLOADING_METADATA("uploading_metadata", 60, false),
    METADATA_UPLOADED("metadata_uploaded", 70, false),
    MINTING_NEW_NFT("minting_new_nft", 80, false),
    UPDATING_RECORDS("updating_records", 90, false),
    COMPLETED("completed", 100, true),
    CANCELLED("cancelled", 20, true),
    /** Metadata upload or mint gave up after its retries; {@link UpgradeEvent.UpgradeFailed} says where. */
    FAILED("failed", 0, true),
    /**
     * The old NFT is burned but the new one could not be minted: terminal for the user's stream, open
     * for an operator's mint retry through the compensation request.
     */
    MINT_FAILED_CRITICAL("mint_failed_critical", 80, true);

    private final String wireName;
    private final int progress;
    private final boolean terminal;

    UpgradeStatus(String wireName, int progress, boolean terminal) {
        this.wireName = wireName;
        this.progress = progress;
        this.terminal = terminal;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public int progress() {
        return progress;
    }

    /** No further transition happens on its own after a terminal status. */
    public boolean terminal() {
        return terminal;
    }

    @JsonCreator
    public static UpgradeStatus fromWireName(String name) {
        return Arrays.stream(values())
                .filter(status -> status.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown upgrade status: " + name));
    }
}
