package com.aiw3.upgrade.badge;

import static com.aiw3.events.realtime.BadgeActivationStatus.ACTIVATED;
import static com.aiw3.events.realtime.BadgeActivationStatus.BADGE_VERIFIED;
import static com.aiw3.events.realtime.BadgeActivationStatus.FAILED;
import static com.aiw3.events.realtime.BadgeActivationStatus.REQUESTED;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.realtime.UserEvent.BadgeActivated;
import com.aiw3.events.realtime.UserEvent.BadgeActivationFailed;
import com.aiw3.events.realtime.UserEvent.BadgeActivationRequested;
import com.aiw3.events.realtime.UserEvent.BadgeActivationStep;
import com.aiw3.events.realtime.UserEvent.BadgeActivationVerified;
import com.aiw3.events.realtime.UserEvent.TierProgressRecomputed;
import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.upgrade.badge.ActivationStore.BadgeRow;
import com.aiw3.upgrade.tier.Qualification;
import com.aiw3.upgrade.tier.QualificationRules;
import com.aiw3.upgrade.tier.Tier;
import com.aiw3.upgrade.tier.Tiers;
import com.aiw3.web.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Badge activation as a process (ADR 0031): requested → badge_verified → (progress_recomputed) activated,
 * or failed. The request is answered once it is recorded; the steps run after it, each one transaction
 * that changes the activation's row conditionally (locked, at the step before) and publishes its event
 * through the outbox. The badge row changes only in the activating step, by one conditional update
 * ({@code where status = 'earned'}); an upgrade consumes only {@code activated} badges, so the two never
 * take the same badge twice. Activations an instance stopped driving are resumed by every instance.
 */
@Component
class BadgeActivations {

    private static final Logger log = LoggerFactory.getLogger(BadgeActivations.class);

    /** An activation with no step for this long is driven again (its instance stopped). */
    static final long STALLED_SECONDS = 10;

    private final ActivationStore store;
    private final QualificationRules qualification;
    private final Tiers tiers;
    private final EventPublisher events;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final String source;
    private final Counter activated;
    private final Counter failed;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("badge-activation-", 0).factory());
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();

    BadgeActivations(
            ActivationStore store,
            QualificationRules qualification,
            Tiers tiers,
            EventPublisher events,
            TransactionTemplate tx,
            JsonMapper json,
            MessagingProperties messaging,
            MeterRegistry meters) {
        this.store = store;
        this.qualification = qualification;
        this.tiers = tiers;
        this.events = events;
        this.tx = tx;
        this.json = json;
        this.source = messaging.source();
        this.activated = Counter.builder("aiw3.upgrade.badges.activated")
                .description("Badge activations that activated their badge")
                .register(meters);
        this.failed = Counter.builder("aiw3.upgrade.badges.activation.failed")
                .description("Badge activations that ended as failed")
                .register(meters);
    }

    record Started(ActivationView activation, boolean replayed) {}

    /**
     * Starts the activation of the user's badge {@code code}, or answers the one that exists. Refusals
     * write nothing: a badge the user has not earned is 404, a consumed one 409, a key used for another
     * badge 422. A badge already activated, or being activated, answers its activation (replayed) and
     * publishes nothing.
     */
    Started start(String userId, String code, @Nullable String idempotencyKey) {
        if (idempotencyKey != null) {
            Optional<Started> replay = replay(userId, idempotencyKey, code);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        BadgeRow badge = store.badge(userId, code).orElseThrow(() -> notEarned(code));
        if (badge.status().equals("consumed")) {
            throw Problems.conflict("badge " + code + " was consumed by an upgrade and cannot be activated again");
        }
        Optional<Started> existing = existing(userId, badge, idempotencyKey);
        if (existing.isPresent()) {
            return existing.get();
        }
        UUID id = EventIds.next();
        try {
            Activation created = tx.execute(status -> {
                if (badge.status().equals("activated")) {
                    // Activated before activations were recorded: the activation is recorded as it happened.
                    store.insert(id, userId, badge, ACTIVATED);
                } else {
                    store.insert(id, userId, badge, REQUESTED);
                    publish(new BadgeActivationRequested(
                            userId, "Activating your badge %s...".formatted(badge.name()), id, code, badge.name()));
                }
                if (idempotencyKey != null) {
                    store.rememberKey(userId, idempotencyKey, code, id);
                }
                return store.find(id).orElseThrow();
            });
            if (created.status() == ACTIVATED) {
                return new Started(ActivationView.of(created, json), true);
            }
            drive(id);
            return new Started(ActivationView.of(created, json), false);
        } catch (DuplicateKeyException e) {
            // A concurrent request for the same badge (or with the same key) recorded its activation first.
            if (idempotencyKey != null) {
                Optional<Started> replay = replay(userId, idempotencyKey, code);
                if (replay.isPresent()) {
                    return replay.get();
                }
            }
            return existing(userId, badge, idempotencyKey)
                    .orElseThrow(() -> Problems.conflict("badge " + code + " is being changed; try again"));
        }
    }

    private static RuntimeException notEarned(String code) {
        return Problems.notFound("you have no badge " + code + " to activate: earn it first");
    }

    private Optional<Started> existing(String userId, BadgeRow badge, @Nullable String idempotencyKey) {
        return store.ofBadge(badge.id()).map(activation -> {
            if (idempotencyKey != null) {
                tx.executeWithoutResult(
                        status -> store.rememberKey(userId, idempotencyKey, badge.code(), activation.id()));
            }
            return new Started(ActivationView.of(activation, json), true);
        });
    }

    private Optional<Started> replay(String userId, String key, String code) {
        return store.keyUse(userId, key).map(use -> {
            if (!use.badgeCode().equals(code)) {
                throw Problems.of(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "this Idempotency-Key was used for another badge; use a new key");
            }
            return new Started(ActivationView.of(store.find(use.activationId()).orElseThrow(), json), true);
        });
    }

    /** The caller's activation; another user's is 404, exactly like a missing one. */
    ActivationView view(String userId, UUID id) {
        return store.find(id)
                .filter(a -> a.userId().equals(userId))
                .map(a -> ActivationView.of(a, json))
                .orElseThrow(() -> Problems.notFound("no badge activation " + id + " of yours"));
    }

    // ---- the steps -------------------------------------------------------------------------------

    /** Drives the activation through its remaining steps on a worker; a no-op if this instance drives it. */
    void drive(UUID id) {
        if (workers.isShutdown() || !running.add(id)) {
            return;
        }
        try {
            workers.submit(() -> {
                try {
                    verify(id);
                    activate(id);
                } catch (RuntimeException e) {
                    log.warn("badge activation {} stopped at a step; it is resumed later: {}", id, e.toString());
                } finally {
                    running.remove(id);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            running.remove(id); // stopping: another instance, or the restart, resumes it
        }
    }

    /** requested → badge_verified while the badge is earned, else failed. */
    private void verify(UUID id) {
        tx.executeWithoutResult(status -> {
            Activation a = store.lock(id).orElseThrow();
            if (a.status() != REQUESTED) {
                return;
            }
            Optional<BadgeRow> badge = store.lockBadge(a.badgeId());
            if (badge.isPresent() && badge.get().status().equals("earned")) {
                store.move(id, REQUESTED, BADGE_VERIFIED, null);
                publish(new BadgeActivationVerified(
                        a.userId(),
                        "Badge %s verified: earned, and not used by an upgrade".formatted(a.badgeName()),
                        id,
                        a.badgeCode(),
                        a.badgeName()));
            } else {
                fail(
                        a,
                        REQUESTED,
                        badge.map(b -> "the badge is " + b.status() + ", not earned")
                                .orElse("the badge no longer exists"));
            }
        });
    }

    /**
     * badge_verified → activated: the badge row activated by its one conditional update, the user's
     * standing against the next tier recomputed with it (published first), then the completion, in one
     * transaction; or failed when the badge is no longer earned.
     */
    private void activate(UUID id) {
        tx.executeWithoutResult(status -> {
            Activation a = store.lock(id).orElseThrow();
            if (a.status() != BADGE_VERIFIED) {
                return;
            }
            if (!store.activateBadge(a.badgeId())) {
                fail(a, BADGE_VERIFIED, "the badge changed since it was verified and is no longer earned");
                return;
            }
            Progress progress = progress(a.userId());
            store.recordProgress(id, progress.tierId(), json.writeValueAsString(progress.requirements()));
            publish(new TierProgressRecomputed(
                    a.userId(),
                    progress.message(a.badgeName()),
                    id,
                    a.badgeCode(),
                    progress.tierId(),
                    progress.tierName(),
                    progress.requirements(),
                    progress.qualified()));
            store.move(id, BADGE_VERIFIED, ACTIVATED, null);
            publish(new BadgeActivated(
                    a.userId(),
                    "You activated the badge %s: it counts towards your next upgrade.".formatted(a.badgeName()),
                    a.badgeCode(),
                    a.badgeName(),
                    id));
            activated.increment();
        });
    }

    private void fail(Activation a, com.aiw3.events.realtime.BadgeActivationStatus from, String reason) {
        store.move(a.id(), from, FAILED, reason);
        publish(new BadgeActivationFailed(
                a.userId(),
                "Badge %s could not be activated: %s".formatted(a.badgeName(), reason),
                a.id(),
                a.badgeCode(),
                reason));
        failed.increment();
    }

    /** The user's standing against their next tier; no tier without an NFT or at the highest tier. */
    private record Progress(
            @Nullable Integer tierId, @Nullable String tierName, List<Requirement> requirements, boolean qualified) {

        static final Progress NO_NEXT_TIER = new Progress(null, null, List.of(), false);

        String message(String badge) {
            if (tierId == null) {
                return "Badge %s counts towards your next upgrade.".formatted(badge);
            }
            long met = requirements.stream()
                    .filter(r -> r.actual() >= r.required())
                    .count();
            return "With %s activated you meet %d of %d requirements for %s."
                    .formatted(badge, met, requirements.size(), tierName);
        }
    }

    private Progress progress(String userId) {
        Optional<Qualification.CurrentNft> nft = qualification.currentNft(userId);
        if (nft.isEmpty()) {
            return Progress.NO_NEXT_TIER;
        }
        int level = tiers.byId(nft.get().tierId()).orElseThrow().level();
        Optional<Tier> next =
                tiers.all().stream().filter(t -> t.level() == level + 1).findFirst();
        if (next.isEmpty()) {
            return Progress.NO_NEXT_TIER;
        }
        Qualification q = qualification.evaluate(userId, next.get().id());
        return new Progress(next.get().id(), next.get().name(), q.requirements(), q.qualified());
    }

    private void publish(BadgeActivationStep step) {
        events.publish(EventEnvelope.correlated(java.util.Objects.requireNonNull(step.activationId()), step, source));
    }

    /** Resumes the activations whose driver stopped (an instance that crashed or shut down mid-way). */
    @Scheduled(initialDelay = 0, fixedDelayString = "${aiw3.upgrade.sweep-interval:15s}")
    void resumeStalled() {
        try {
            store.stalled(STALLED_SECONDS, 100).forEach(this::drive);
        } catch (RuntimeException e) {
            log.warn("looking for stalled badge activations failed; the next sweep retries: {}", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
