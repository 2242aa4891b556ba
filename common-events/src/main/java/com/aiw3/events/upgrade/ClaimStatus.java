package com.aiw3.events.upgrade;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The statuses and progress of a first-NFT claim (ADR 0030). */
public enum ClaimStatus {
    INITIALIZING("initializing", 0, false),
    QUALIFICATION_VERIFIED("qualification_verified", 10, false),
    QUALIFICATION_FAILED("qualification_failed", 0, true),
    UPLOADING_METADATA("uploading_metadata", 30, false),
    METADATA_UPLOADED("metadata_uploaded", 50, false),
    MINTING_NFT("minting_nft", 70, false),
    MINT_CONFIRMED("mint_confirmed", 90, false),
    COMPLETED("completed", 100, true),
    /**
     * The metadata upload or the mint gave up after its retries: terminal for the user's stream, open for an
     * operator's retry through the compensation request. The claim still holds the user's and the wallet's
     * one claim.
     */
    FAILED("failed", 0, true);

    private final String wireName;
    private final int progress;
    private final boolean terminal;

    ClaimStatus(String wireName, int progress, boolean terminal) {
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
    public static ClaimStatus fromWireName(String name) {
        return Arrays.stream(values())
                .filter(status -> status.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown claim status: " + name));
    }
}
