package com.aiw3.upgrade.upgrade;

import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Why a request about an upgrade or a claim is refused, with a sentence for the user. Thrown by the domain
 * code before anything is written; {@link UpgradeProblems} maps each kind to its problem response.
 */
abstract sealed class Refusal extends RuntimeException {

    private Refusal(String detail) {
        super(detail, null, false, false);
    }

    String detail() {
        return getMessage();
    }

    /** No such upgrade or claim of the caller's: another user's answers exactly the same. */
    static final class Missing extends Refusal {
        Missing(String detail) {
            super(detail);
        }
    }

    /** The request conflicts with the current state: an open upgrade, a status that does not allow it, a used burn. */
    static final class Conflicting extends Refusal {
        Conflicting(String detail) {
            super(detail);
        }
    }

    /** A well-formed request that cannot be carried out: a reused idempotency key, a burn that is not this one. */
    static final class Unprocessable extends Refusal {
        Unprocessable(String detail) {
            super(detail);
        }
    }

    /** An input that is not of the expected form. */
    static final class Malformed extends Refusal {
        Malformed(String detail) {
            super(detail);
        }
    }

    /** Too many calls by one user in a burst. */
    static final class Throttled extends Refusal {
        private final Duration retryAfter;

        Throttled(String detail, Duration retryAfter) {
            super(detail);
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    /** The service is stopping: the same call succeeds on another instance or after the restart. */
    static final class ShuttingDown extends Refusal {
        ShuttingDown(String detail) {
            super(detail);
        }
    }

    /**
     * The user has claimed their first NFT already, or the wallet has received one by a claim (ADR 0027: once
     * per user and once per wallet, ever).
     */
    static final class AlreadyClaimed extends Refusal {
        private final @Nullable UUID claimId;

        /** {@code claimId} is the caller's own claim, or null when the wallet's claim is another user's. */
        AlreadyClaimed(String detail, @Nullable UUID claimId) {
            super(detail);
            this.claimId = claimId;
        }

        @Nullable
        UUID claimId() {
            return claimId;
        }
    }

    /** The caller signed in without a wallet, so there is no wallet to mint a claimed NFT to. */
    static final class NoWallet extends Refusal {
        NoWallet(String detail) {
            super(detail);
        }
    }
}
