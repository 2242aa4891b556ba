import { Api, type ApiOptions } from "./http.js";
import { RealtimeClient, type EventSourceFactory } from "./realtime.js";
import { TERMINAL_STATUSES, type UpgradeStatus, type UpgradeStatusEvent } from "./events.js";

export interface Requirement {
  code: string;
  description: string;
  required: number;
  actual: number;
  met?: boolean;
}

export interface Upgrade {
  upgradeId: string;
  status: UpgradeStatus;
  progress: number;
  fromTierId: number;
  targetTierId: number;
  eventsUrl: string;
  burnTransaction?: string;
  burnDeadline?: string;
  burnTxSignature?: string;
  requirements?: Requirement[];
  metadataUri?: string;
  newMintAddress?: string;
  mintSignature?: string;
  failureReason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface Tier {
  id: number;
  level: number;
  name: string;
  symbol: string;
  description: string;
  /** `ipfs://<cid>` of the tier's artwork once it is pinned on IPFS; null until then (show no image). */
  imageUri: string | null;
  benefits: Record<string, unknown>;
  requirements: { code: string; description: string; required: number }[];
}

export interface Qualification {
  targetTierId: number;
  currentTierId: number;
  qualified: boolean;
  requirements: Requirement[];
  missing: Requirement[];
}

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

  history(page = 0, size = 20): Promise<{ items: Upgrade[]; page: number; size: number; total: number }> {
    return this.api.request("GET", `/api/v1/nft/upgrades?page=${page}&size=${size}`);
  }

  confirmBurn(upgradeId: string, burnTxSignature: string): Promise<Upgrade> {
    return this.api.request("PATCH", `/api/v1/nft/upgrade/${upgradeId}/confirm-burn`, { burnTxSignature });
  }

  cancel(upgradeId: string): Promise<Upgrade> {
    return this.api.request("POST", `/api/v1/nft/upgrade/${upgradeId}/cancel`);
  }

  /** A burn transaction with a fresh blockhash (a signed one is valid for about a minute). */
  burnTransaction(upgradeId: string): Promise<{ base64: string; blockhash: string; lastValidBlockHeight: number }> {
    return this.api.request("GET", `/api/v1/nft/upgrade/${upgradeId}/burn-transaction`);
  }

  /**
   * Follows one upgrade's progress (current state first, then each step) until a terminal status.
   * Needs the session cookie (Api.openSession). Returns a function that stops following.
   */
  follow(upgrade: Pick<Upgrade, "eventsUrl">, onStep: (event: UpgradeStatusEvent) => void): () => void {
    const stream = new RealtimeClient({ url: this.api.baseUrl + upgrade.eventsUrl, eventSource: this.eventSource });
    stream.on("nft_upgrade_status", (event) => {
      onStep(event);
      if (TERMINAL_STATUSES.has(event.status)) stream.close();
    });
    stream.connect();
    return () => stream.close();
  }
}
