import { TERMINAL_STATUSES, type UpgradeStatus, type UpgradeStatusEvent } from "./events.js";
import type { Upgrade } from "./upgrade.js";
import type { WalletErrorKind } from "./wallet/walletStandard.js";

/** Where the wallet's part of the upgrade is: not yet, waiting for the user in the wallet, sent. */
export type WalletPhase = "none" | "prompt" | "sent";

/** Why the wallet did not sign (the upgrade still awaits its burn: Try Again asks the wallet again). */
export interface WalletProblem {
  kind: WalletErrorKind;
  message: string;
  /** For `wrong_account`: the address that holds the NFT. */
  expectedAccount?: string;
}

/** The upgrade hook's state: status, progress, message, error, upgrade id and the last event's data. */
export interface UpgradeState {
  status: "idle" | "connecting" | UpgradeStatus;
  progress: number;
  message: string;
  error: string | null;
  upgradeId: string | null;
  data: UpgradeStatusEvent | Upgrade | null;
  /** Every step seen, in order (for the step list). */
  steps: UpgradeStatus[];
  wallet: WalletPhase;
  walletError: WalletProblem | null;
}

export const initialUpgradeState: UpgradeState = {
  status: "idle",
  progress: 0,
  message: "",
  error: null,
  upgradeId: null,
  data: null,
  steps: [],
  wallet: "none",
  walletError: null,
};

export type UpgradeAction =
  | { type: "connecting" }
  | { type: "started"; upgrade: Upgrade }
  | { type: "step"; event: UpgradeStatusEvent }
  | { type: "error"; message: string }
  | { type: "wallet"; phase: WalletPhase }
  | { type: "walletError"; problem: WalletProblem }
  | { type: "reset" };

/** Steps the start request itself went through (one transaction at upgrade-service), before its answer. */
/** An upgrade's steps when nothing fails, in order: each one implies every step before it. */
export const UPGRADE_PATH: readonly UpgradeStatus[] = [
  "initializing",
  "qualification_verified",
  "awaiting_burn",
  "burn_verified",
  "uploading_metadata",
  "metadata_uploaded",
  "minting_new_nft",
  "updating_records",
  "completed",
];

const BEFORE: Partial<Record<UpgradeStatus, UpgradeStatus[]>> = {
  qualification_failed: ["initializing"],
  awaiting_burn: ["initializing", "qualification_verified"],
};

/** What the start's answer says until the stream brings the step's own message. */
const STARTED_MESSAGES: Partial<Record<UpgradeStatus, string>> = {
  awaiting_burn: "Please sign the burn transaction in your wallet",
  qualification_failed: "You do not meet the requirements of this tier yet",
};

const FAILURES: ReadonlySet<string> = new Set(["qualification_failed", "burn_failed", "failed", "mint_failed_critical"]);

/**
 * Pure state transitions, so the order of arrival cannot move the bar backwards: a step is applied only
 * if it is of the current upgrade and not older than one already shown (the stream may replay the
 * current state on resume).
 */
export function upgradeReducer(state: UpgradeState, action: UpgradeAction): UpgradeState {
  switch (action.type) {
    case "connecting":
      return { ...initialUpgradeState, status: "connecting", message: "Connecting to upgrade service..." };
    case "started":
      return withStep(
        {
          ...state,
          upgradeId: action.upgrade.upgradeId,
          data: action.upgrade,
          steps: [...(BEFORE[action.upgrade.status] ?? [])],
        },
        action.upgrade.status,
        action.upgrade.progress,
        STARTED_MESSAGES[action.upgrade.status] ?? "",
        action.upgrade.failureReason ?? null,
      );
    case "step": {
      const event = action.event;
      if (state.upgradeId !== null && event.upgradeId !== state.upgradeId) return state;
      if (state.steps.includes(event.status)) {
        // The stream's replay of the current step (on open or resume) brings its message.
        return event.status === state.status && event.message && event.message !== state.message ? { ...state, message: event.message } : state;
      }
      if (isTerminal(state.status)) return state;
      return withStep({ ...state, upgradeId: event.upgradeId, data: event }, event.status, event.progress, event.message, null);
    }
    case "error":
      return { ...state, error: action.message };
    case "wallet":
      return { ...state, wallet: action.phase, walletError: null, error: isTerminal(state.status) ? state.error : null };
    case "walletError":
      return { ...state, wallet: "none", walletError: action.problem, error: action.problem.message };
    case "reset":
      return initialUpgradeState;
  }
}

function withStep(state: UpgradeState, status: UpgradeStatus, progress: number, message: string, reason: string | null): UpgradeState {
  return {
    ...state,
    status,
    progress: FAILURES.has(status) ? state.progress : Math.max(state.progress, progress),
    message,
    error: FAILURES.has(status) ? (reason ?? message) : state.error,
    steps: reached(state.steps, status),
  };
}

/**
 * The steps seen once `status` is: a step of the path brings every step before it, since a stream that
 * opened late or resumed past its history shows only the newest (the upgrade went through them all).
 */
function reached(steps: UpgradeStatus[], status: UpgradeStatus): UpgradeStatus[] {
  const at = UPGRADE_PATH.indexOf(status);
  const implied = at < 0 ? [status] : UPGRADE_PATH.slice(0, at + 1);
  const missing = implied.filter((step) => !steps.includes(step));
  return missing.length ? [...steps, ...missing] : steps;
}

export function isTerminal(status: UpgradeState["status"]): boolean {
  return TERMINAL_STATUSES.has(status as UpgradeStatus);
}
