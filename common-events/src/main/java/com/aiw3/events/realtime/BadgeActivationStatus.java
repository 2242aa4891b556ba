package com.aiw3.events.realtime;

import java.util.Arrays;

/**
 * The steps of a badge activation, as a user's progress display names them: requested → badge_verified →
 * progress_recomputed → activated, or failed from any step before activated.
 */
public enum BadgeActivationStatus {
    /** The user asked to activate the badge; the activation has its id. */
    REQUESTED("requested", 10, false),
    /** The badge is the user's, earned, and not consumed by an upgrade. */
    BADGE_VERIFIED("badge_verified", 40, false),
    /** The badge counts as activated, and the user's standing against their next tier is computed with it. */
    PROGRESS_RECOMPUTED("progress_recomputed", 80, false),
    /** The activation is complete: the badge counts towards the next upgrade. */
    ACTIVATED("activated", 100, true),
    /** The badge could not be activated; the event says why. Nothing about the badge changed. */
    FAILED("failed", 0, true);

    private final String wireName;
    private final int progress;
    private final boolean terminal;

    BadgeActivationStatus(String wireName, int progress, boolean terminal) {
        this.wireName = wireName;
        this.progress = progress;
        this.terminal = terminal;
    }

    public String wireName() {
        return wireName;
    }

    public int progress() {
        return progress;
    }

    /** No step follows a terminal status. */
    public boolean terminal() {
        return terminal;
    }

    public static BadgeActivationStatus fromWireName(String name) {
        return Arrays.stream(values())
                .filter(status -> status.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown badge activation status: " + name));
    }
}
