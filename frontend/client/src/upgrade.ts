import { Api, type ApiOptions } from "./http.js";
import { RealtimeClient, type EventSourceFactory } from "./realtime.js";
import { TERMINAL_STATUSES, type UpgradeStatus, type UpgradeStatusEvent } from "./events.js";
import type { components } from "./generated/upgrade-service.js";

// The REST answers are generated from upgrade-service's OpenAPI document (src/generated/upgrade-service.ts); the
// API sends statuses as strings, which the kit narrows to the statuses the AsyncAPI document lists.
type Schemas = components["schemas"];

/** One requirement with the user's standing; the qualification check's answer also says whether it is `met`. */
export type Requirement = Schemas["Requirement"] & { met?: boolean };

export type Upgrade = Omit<Schemas["UpgradeView"], "status"> & { status: UpgradeStatus };

/** `imageUri` is `ipfs://<cid>` of the tier's artwork once it is pinned on IPFS; null until then (show no image). */
export type Tier = Schemas["Tier"];

export type Qualification = Schemas["QualificationView"];

/** `GET /api/v1/nft/upgrades`: one page of the caller's upgrades, newest first. */
export type UpgradeHistory = Omit<Schemas["Page"], "items"> & { items: Upgrade[] };

export type BurnTransaction = Schemas["BurnTransaction"];

/** `GET /api/v1/nft/mine`: the caller's active NFT and its tier. */
export type MyNft = Schemas["MyNft"];

/** The upgrade API (`/api/v1/nft/...`), through the gateway. */
export class UpgradeClient {
  readonly api: Api;

  constructor(options: ApiOptions & { eventSource?: EventSourceFactory }) {
    this.api = new Api(options);
    this.eventSource = options.eventSource;
  }

  private readonly eventSource: EventSourceFactory | undefined;

  tiers(): Promise<Tier[]> {
    return this.api.request("GET", "/api/v1/nft/tiers");
  }

  qualification(targetTierId: number): Promise<Qualification> {
    return this.api.request("GET", `/api/v1/nft/qualification?targetTierId=${targetTierId}`);
  }

  /** Starts an upgrade; the same idempotency key on a retry returns the same upgrade. */
  start(targetTierId: number, idempotencyKey: string = crypto.randomUUID()): Promise<Upgrade> {
    return this.api.request("POST", "/api/v1/nft/upgrade", { targetTierId }, { "Idempotency-Key": idempotencyKey });
  }

  get(upgradeId: string): Promise<Upgrade> {
    return this.api.request("GET", `/api/v1/nft/upgrade/${upgradeId}`);
  }

  /** The caller's active NFT and its tier; an ApiError with status 404 when they hold none. */
  mine(): Promise<MyNft> {
    return this.api.request("GET", "/api/v1/nft/mine");
  }

  history(page = 0, size = 20): Promise<UpgradeHistory> {
    return this.api.request("GET", `/api/v1/nft/upgrades?page=${page}&size=${size}`);
  }

  confirmBurn(upgradeId: string, burnTxSignature: string): Promise<Upgrade> {
    return this.api.request("PATCH", `/api/v1/nft/upgrade/${upgradeId}/confirm-burn`, { burnTxSignature });
  }

  cancel(upgradeId: string): Promise<Upgrade> {
    return this.api.request("POST", `/api/v1/nft/upgrade/${upgradeId}/cancel`);
  }

  /** A burn transaction with a fresh blockhash (a signed one is valid for about a minute). */
  burnTransaction(upgradeId: string): Promise<BurnTransaction> {
    return this.api.request("GET", `/api/v1/nft/upgrade/${upgradeId}/burn-transaction`);
  }

  /**
   * Follows one upgrade's progress (current state first, then each step) until a terminal status.
   * Needs the session cookie (Api.openSession). Returns a function that stops following.
   */
  follow(upgrade: Pick<Upgrade, "eventsUrl">, onStep: (event: UpgradeStatusEvent) => void): () => void {
    const stream = new RealtimeClient({ url: this.api.baseUrl + upgrade.eventsUrl, eventSource: this.eventSource, session: this.api });
    stream.on("nft_upgrade_status", (event) => {
      onStep(event);
      if (TERMINAL_STATUSES.has(event.status)) stream.close();
    });
    stream.connect();
    return () => stream.close();
  }
}
