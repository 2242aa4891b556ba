/**
 * The streamed processes besides the upgrade: the first-NFT claim and a badge's activation. Each starts
 * with a POST answered 202 (the process, its status and `eventsUrl`), then reports each step on its own
 * stream until a terminal status.
 */
import type { Api } from "./http.js";
import type { RealtimeEvent } from "./events.js";
import type { components } from "./generated/upgrade-service.js";
import type * as generated from "./generated/asyncapi.js";
import { RealtimeClient, type EventSourceFactory } from "./realtime.js";

export type ClaimStatus = generated.ClaimStatus;

export type ActivationStatus = "requested" | "badge_verified" | "progress_recomputed" | "activated" | "failed";

// Generated from upgrade-service's OpenAPI document; statuses narrowed as in upgrade.ts.
type Schemas = components["schemas"];

/** `POST /api/v1/nft/claim`: the user's first NFT, minted to their wallet. */
export type Claim = Omit<Schemas["ClaimView"], "status"> & { status: ClaimStatus };

/** `POST /api/v1/badges/{code}/activate`: one earned badge made to count towards the next upgrade. */
export type Activation = Omit<Schemas["ActivationView"], "status"> & { status: ActivationStatus };

/** `GET /api/v1/badges`: the caller's badges by state, and the ones they can still earn with their progress. */
export type Badges = Schemas["Badges"];

/** One step of a process as a progress display needs it. */
export interface ProcessStep<S extends string> {
  id: string;
  status: S;
  progress: number;
  message: string;
  event: RealtimeEvent;
}

export interface ProcessKind<S extends string, V> {
  /** The stream's event types of this process. */
  types: readonly string[];
  terminal: ReadonlySet<S>;
  failures: ReadonlySet<S>;
  idOf: (view: V) => string;
  statusOf: (view: V) => S;
  progressOf: (view: V) => number;
  failureOf: (view: V) => string | null | undefined;
  /** Reads a step from a stream event, or undefined when the event is not one of this process's steps. */
  stepOf: (event: RealtimeEvent) => ProcessStep<S> | undefined;
}

type Loose = { [key: string]: unknown };

function field(event: RealtimeEvent, name: string): unknown {
  const top = (event as unknown as Loose)[name];
  return top !== undefined ? top : (event.data as Loose | undefined)?.[name];
}

function stepReader<S extends string>(idField: string, progress: Record<S, number>, statusOfType: (type: string) => S | undefined) {
  return (event: RealtimeEvent): ProcessStep<S> | undefined => {
    const id = field(event, idField);
    const status = (field(event, "status") ?? statusOfType(event.type)) as S | undefined;
    if (typeof id !== "string" || !status || !(status in progress)) return undefined;
    const reported = field(event, "progress");
    return { id, status, progress: typeof reported === "number" ? reported : progress[status], message: event.message, event };
  };
}

const CLAIM_PROGRESS: Record<ClaimStatus, number> = {
  initializing: 0,
  qualification_verified: 10,
  qualification_failed: 0,
  uploading_metadata: 30,
  metadata_uploaded: 50,
  minting_nft: 70,
  mint_confirmed: 90,
  completed: 100,
  failed: 0,
};

const ACTIVATION_PROGRESS: Record<ActivationStatus, number> = {
  requested: 10,
  badge_verified: 40,
  progress_recomputed: 80,
  activated: 100,
  failed: 0,
};

export const CLAIM: ProcessKind<ClaimStatus, Claim> = {
  types: ["nft_claim_status"],
  terminal: new Set<ClaimStatus>(["qualification_failed", "completed", "failed"]),
  failures: new Set<ClaimStatus>(["qualification_failed", "failed"]),
  idOf: (claim) => claim.claimId,
  statusOf: (claim) => claim.status,
  progressOf: (claim) => claim.progress,
  failureOf: (claim) => claim.failureReason,
  stepOf: stepReader<ClaimStatus>("claimId", CLAIM_PROGRESS, () => undefined),
};

export const ACTIVATION: ProcessKind<ActivationStatus, Activation> = {
  types: ["badge_activation_status", "badge_activated"],
  terminal: new Set<ActivationStatus>(["activated", "failed"]),
  failures: new Set<ActivationStatus>(["failed"]),
  idOf: (activation) => activation.activationId,
  statusOf: (activation) => activation.status,
  progressOf: (activation) => activation.progress,
  failureOf: (activation) => activation.failureReason,
  stepOf: stepReader<ActivationStatus>("activationId", ACTIVATION_PROGRESS, (type) => (type === "badge_activated" ? "activated" : undefined)),
};

/** Starts claims and activations and follows their streams. */
export class ProcessClient {
  constructor(
    readonly api: Api,
    private readonly eventSource?: EventSourceFactory,
  ) {}

  claim(idempotencyKey: string = crypto.randomUUID()): Promise<Claim> {
    return this.api.request("POST", "/api/v1/nft/claim", {}, { "Idempotency-Key": idempotencyKey });
  }

  getClaim(claimId: string): Promise<Claim> {
    return this.api.request("GET", `/api/v1/nft/claims/${encodeURIComponent(claimId)}`);
  }

  /** The caller's badges: owned, activated and consumed ones, and the ones still to earn with their progress. */
  badges(): Promise<Badges> {
    return this.api.request("GET", "/api/v1/badges");
  }

  activateBadge(code: string, idempotencyKey: string = crypto.randomUUID()): Promise<Activation> {
    return this.api.request("POST", `/api/v1/badges/${encodeURIComponent(code)}/activate`, undefined, { "Idempotency-Key": idempotencyKey });
  }

  getActivation(activationId: string): Promise<Activation> {
    return this.api.request("GET", `/api/v1/badges/activations/${encodeURIComponent(activationId)}`);
  }

  /** Follows one process's stream until a terminal step. Returns the function that stops following. */
  follow<S extends string, V>(kind: ProcessKind<S, V>, view: V & { eventsUrl: string }, onStep: (step: ProcessStep<S>) => void): () => void {
    const stream = new RealtimeClient({ url: this.api.baseUrl + view.eventsUrl, eventSource: this.eventSource, session: this.api });
    const id = kind.idOf(view);
    stream.on("*", (event) => {
      const step = kind.stepOf(event);
      if (!step || step.id !== id) return;
      onStep(step);
      if (kind.terminal.has(step.status)) stream.close();
    });
    stream.connect();
    return () => stream.close();
  }
}
