import { useId } from "react";
import type { ActivationStatus, ClaimStatus, ProcessClient } from "../process.js";
import { ProgressBar, StepList, stepItems } from "./Progress.js";
import { useBadgeActivation, useNFTClaim, type UseProcess } from "./useProcess.js";

const CLAIM_PATH: readonly ClaimStatus[] = [
  "initializing",
  "qualification_verified",
  "uploading_metadata",
  "metadata_uploaded",
  "minting_nft",
  "mint_confirmed",
  "completed",
];
const CLAIM_LABELS: Record<string, string> = {
  initializing: "Starting",
  qualification_verified: "Eligible",
  qualification_failed: "Not eligible yet",
  uploading_metadata: "Uploading metadata",
  metadata_uploaded: "Metadata stored",
  minting_nft: "Minting your NFT",
  mint_confirmed: "Mint confirmed",
  completed: "Claimed",
  failed: "Failed",
};

const ACTIVATION_PATH: readonly ActivationStatus[] = ["requested", "badge_verified", "progress_recomputed", "activated"];
const ACTIVATION_LABELS: Record<string, string> = {
  requested: "Requested",
  badge_verified: "Badge verified",
  progress_recomputed: "Tier progress updated",
  activated: "Activated",
  failed: "Failed",
};

interface PanelProps<S extends string> {
  process: UseProcess<S>;
  title: string;
  action: string;
  done: string;
  path: readonly S[];
  labels: Record<string, string>;
  success: S;
  failures: ReadonlySet<string>;
  /** Whether Try Again can pass (a claim refused for eligibility, or failed and left to the team, cannot). */
  retryable: (status: string) => boolean;
  className: string;
}

function ProcessPanel<S extends string>({ process, title, action, done, path, labels, success, failures, retryable, className }: PanelProps<S>) {
  const { state, isRunning, start } = process;
  const titleId = useId();
  const failed = failures.has(state.status);
  const problem = failed || state.error !== null;
  const succeeded = state.status === success;
  const tone = succeeded ? "done" : problem ? "failed" : "running";
  return (
    <section className={`aiw3-process ${className}`} aria-labelledby={titleId} data-status={state.status} aria-busy={isRunning}>
      <h2 id={titleId} className="aiw3-title">
        {title}
      </h2>
      {state.status === "idle" ? (
        <button type="button" className="aiw3-button" onClick={() => void start()}>
          {action}
        </button>
      ) : (
        <>
          <ProgressBar value={state.progress} label={title} tone={tone} />
          <p className="aiw3-message" aria-live="polite">
            {state.message}
          </p>
          <StepList steps={stepItems(path, state.steps, state.status, failed, labels)} label={`${title} steps`} />
        </>
      )}
      {problem && !succeeded && (
        <div className="aiw3-error" role="alert" data-kind={state.status}>
          <strong className="aiw3-error__title">{labels[state.status] ?? "Something went wrong"}</strong>
          {state.error && <p className="aiw3-error__detail">{state.error}</p>}
          {retryable(state.status) && (
            <button type="button" className="aiw3-button" onClick={() => void start()}>
              Try Again
            </button>
          )}
        </div>
      )}
      {succeeded && (
        <div className="aiw3-success" role="status">
          <h3 className="aiw3-success__title">{done}</h3>
        </div>
      )}
    </section>
  );
}

/** The first-NFT claim: the button, the progress and steps, the error with Try Again, the success. */
export function ClaimNft({ client, className }: { client: ProcessClient; className?: string }) {
  const process = useNFTClaim(client);
  return (
    <ProcessPanel
      process={process}
      title="Claim your first NFT"
      action="Claim NFT"
      done="Your first NFT is in your wallet"
      path={CLAIM_PATH}
      labels={CLAIM_LABELS}
      success="completed"
      failures={new Set(["qualification_failed", "failed"])}
      // A failed claim stays the user's one claim until the team completes it: claiming again is refused.
      retryable={(status) => status !== "qualification_failed" && status !== "failed"}
      className={["aiw3-claim", className].filter(Boolean).join(" ")}
    />
  );
}

/** A badge's activation: the button, the progress and steps, the error with Try Again, the success. */
export function BadgeActivation({ client, badgeCode, badgeName, className }: { client: ProcessClient; badgeCode: string; badgeName: string; className?: string }) {
  const process = useBadgeActivation(client, badgeCode);
  return (
    <ProcessPanel
      process={process}
      title={`Activate ${badgeName}`}
      action={`Activate ${badgeName}`}
      done={`${badgeName} counts towards your next upgrade`}
      path={ACTIVATION_PATH}
      labels={ACTIVATION_LABELS}
      success="activated"
      failures={new Set(["failed"])}
      retryable={() => true}
      className={["aiw3-activation", className].filter(Boolean).join(" ")}
    />
  );
}
