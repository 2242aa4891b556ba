import { useEffect, useId, useRef } from "react";
import type { UpgradeStatusEvent } from "../events.js";
import type { MintedNft } from "../generated/asyncapi.js";
import type { Requirement, Tier, UpgradeClient } from "../upgrade.js";
import { UPGRADE_PATH, type UpgradeState } from "../upgradeState.js";
import { useNFTUpgrade, type UseNFTUpgradeOptions } from "../useNFTUpgrade.js";
import { benefitRows, httpImage, ProgressBar, StepList, stepItems } from "./Progress.js";

export interface NftUpgradeProps {
  client: UpgradeClient;
  /** The wallet's part: `walletSigner({wallet, chain})` for a Wallet Standard wallet. */
  signAndSendBurn: UseNFTUpgradeOptions["signAndSendBurn"];
  /** The tier the user holds now, and the one to upgrade to (from `client.tiers()`). */
  from: Tier;
  to: Tier;
  /** The HTTP gateway that shows `ipfs://` artwork, e.g. "https://ipfs.io" or the local run's "http://localhost:5001". */
  ipfsGateway?: string;
  /** Named in the wallet prompt ("Approve the burn in Phantom"). */
  walletName?: string;
  onCompleted?: (state: UpgradeState) => void;
  className?: string;
}

const PATH = UPGRADE_PATH;

const LABELS: Record<string, string> = {
  initializing: "Starting",
  qualification_verified: "Requirements met",
  qualification_failed: "Requirements not met",
  awaiting_burn: "Burn signed in your wallet",
  burn_verified: "Old NFT burned",
  burn_failed: "Burn not confirmed",
  uploading_metadata: "Uploading metadata",
  metadata_uploaded: "Metadata stored",
  minting_new_nft: "Minting your new NFT",
  updating_records: "Updating your records",
  completed: "Upgraded",
  cancelled: "Cancelled",
  failed: "Failed",
  mint_failed_critical: "Mint delayed",
};

const FAILED: ReadonlySet<string> = new Set(["qualification_failed", "burn_failed", "failed", "mint_failed_critical", "cancelled"]);
/**
 * Where Try Again helps: the wallet did not sign, or the upgrade ended before its burn (`burn_failed`,
 * `cancelled`), so a new upgrade can start. Not `qualification_failed` (the requirements are still unmet),
 * nor `failed` and `mint_failed_critical`: those gave up after the burn, the upgrade stays open (a new
 * one is refused) and the team completes it.
 */
const RETRYABLE: ReadonlySet<string> = new Set(["burn_failed", "cancelled"]);
/** Ended after the burn: the old NFT is gone and the team completes the new one (the user is notified). */
const COMPLETED_BY_TEAM: ReadonlySet<string> = new Set(["failed", "mint_failed_critical"]);

/** What the completed event's `data.newNft` carries for a UI (tier, benefits, an HTTP image URL); absent in older events. */
type NewNft = Partial<MintedNft>;

function TierCard({ tier, ipfsGateway, role }: { tier: Tier; ipfsGateway?: string; role: "from" | "to" }) {
  const src = httpImage(tier.imageUri, ipfsGateway);
  return (
    <figure className="aiw3-tier" data-role={role} data-level={tier.level}>
      {src ? <img className="aiw3-tier__image" src={src} alt={`${tier.name} artwork`} width={96} height={96} /> : <div className="aiw3-tier__image aiw3-tier__image--none" aria-hidden="true" />}
      <figcaption>
        <span className="aiw3-tier__name">{tier.name}</span> <span className="aiw3-tier__level">Level {tier.level}</span>
      </figcaption>
    </figure>
  );
}

function problemTitle(state: UpgradeState): string {
  switch (state.walletError?.kind) {
    case "rejected":
      return "You declined the signature";
    case "wrong_account":
      return "Wrong wallet account";
    case "network":
      return "The wallet could not reach the network";
    case "no_wallet":
      return "No wallet found";
    case "unsupported":
      return "This wallet does not support the network";
    case "failed":
      return "The wallet could not sign";
  }
  switch (state.status) {
    case "qualification_failed":
      return "You do not meet this tier's requirements yet";
    case "failed":
    case "mint_failed_critical":
      return "Your new NFT is delayed";
    case "cancelled":
      return "Upgrade cancelled";
    default:
      return "The upgrade failed";
  }
}

/** The requirements a `qualification_failed` upgrade did not meet: from the start's answer, or the event's data. */
function unmetRequirements(state: UpgradeState): Requirement[] {
  if (state.status !== "qualification_failed") return [];
  const data = state.data as { requirements?: Requirement[]; data?: { requirements?: Requirement[] } } | null;
  return (data?.requirements ?? data?.data?.requirements ?? []).filter((r) => r.actual < r.required);
}

/**
 * The NFT upgrade as one component: the two tiers' artwork, the Upgrade button, the progress bar and
 * the steps with their icons, the wallet prompt while the burn waits for a signature, the new NFT with
 * its benefits on success, and the error with Try Again. Themed through the `--aiw3-*` CSS variables
 * (`@aiw3/client/styles.css`).
 */
export function NftUpgrade({ client, signAndSendBurn, from, to, ipfsGateway, walletName, onCompleted, className }: NftUpgradeProps) {
  const { upgradeState: state, isUpgrading, startUpgrade, cancelUpgrade, retry } = useNFTUpgrade({ client, signAndSendBurn });
  const titleId = useId();
  const retryButton = useRef<HTMLButtonElement>(null);
  const completed = state.status === "completed";
  const failedStatus = FAILED.has(state.status);
  const problem = state.error !== null || failedStatus;
  const canRetry = state.walletError !== null || RETRYABLE.has(state.status) || (state.error !== null && !failedStatus && state.status !== "completed");

  useEffect(() => {
    if (completed) onCompleted?.(state);
    // Only on the transition to completed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [completed]);
  useEffect(() => {
    if (problem && canRetry) retryButton.current?.focus();
  }, [problem, canRetry]);

  const newNft: NewNft = ((state.data as UpgradeStatusEvent | null)?.data as { newNft?: NewNft } | undefined)?.newNft ?? {};
  const tone = completed ? "done" : problem ? "failed" : state.status === "awaiting_burn" ? "waiting" : "running";
  const steps = stepItems(PATH, state.steps, state.status, failedStatus, LABELS);
  const image = newNft.imageUrl ?? httpImage(to.imageUri, ipfsGateway);
  const unmet = unmetRequirements(state);

  return (
    <section className={["aiw3-upgrade", className].filter(Boolean).join(" ")} aria-labelledby={titleId} data-status={state.status} aria-busy={isUpgrading}>
      <h2 id={titleId} className="aiw3-title">
        Upgrade to {to.name}
      </h2>
      <div className="aiw3-tiers">
        <TierCard tier={from} ipfsGateway={ipfsGateway} role="from" />
        <span className="aiw3-tiers__arrow" aria-hidden="true">
          →
        </span>
        <TierCard tier={to} ipfsGateway={ipfsGateway} role="to" />
      </div>

      {state.status === "idle" && (
        <button type="button" className="aiw3-button" onClick={() => void startUpgrade(to.id)}>
          Upgrade to {to.name}
        </button>
      )}

      {state.status !== "idle" && (
        <>
          <ProgressBar value={state.progress} label={`Upgrade to ${to.name}`} tone={tone} />
          <p className="aiw3-message" aria-live="polite">
            {state.message || (state.status === "connecting" ? "Connecting…" : "")}
          </p>
          <StepList steps={steps} label="Upgrade steps" />
        </>
      )}

      {state.status === "awaiting_burn" && state.wallet === "prompt" && (
        <div className="aiw3-wallet-prompt" role="status">
          <span className="aiw3-wallet-prompt__icon" aria-hidden="true">
            ✍
          </span>
          Approve the burn of your {from.name} in {walletName ?? "your wallet"}.
        </div>
      )}

      {state.status === "awaiting_burn" && state.wallet !== "sent" && (
        <button type="button" className="aiw3-button aiw3-button--quiet" onClick={() => void cancelUpgrade()}>
          Cancel
        </button>
      )}

      {problem && !completed && (
        <div className="aiw3-error" role="alert" data-kind={state.walletError?.kind ?? state.status}>
          <strong className="aiw3-error__title">{problemTitle(state)}</strong>
          {COMPLETED_BY_TEAM.has(state.status) && state.walletError === null ? (
            <p className="aiw3-error__detail">Your {from.name} is burned and your {to.name} is not minted yet. Our team has been alerted and will complete it; you will be notified.</p>
          ) : (
            state.error && <p className="aiw3-error__detail">{state.error}</p>
          )}
          {unmet.length > 0 && (
            <ul className="aiw3-error__requirements" aria-label="Requirements not met">
              {unmet.map((r) => (
                <li key={r.code} data-requirement={r.code}>
                  {r.description}: {r.actual.toLocaleString("en-US")} of {r.required.toLocaleString("en-US")}
                </li>
              ))}
            </ul>
          )}
          {state.walletError?.expectedAccount && (
            <p className="aiw3-error__detail">
              Connect <code>{state.walletError.expectedAccount}</code>.
            </p>
          )}
          {canRetry && (
            <button ref={retryButton} type="button" className="aiw3-button" onClick={() => void retry()}>
              Try Again
            </button>
          )}
        </div>
      )}

      {completed && (
        <div className="aiw3-success" role="status">
          {image && <img className="aiw3-success__image" src={image} alt={`${newNft.tierName ?? to.name} artwork`} width={160} height={160} />}
          <h3 className="aiw3-success__title">Your NFT is now {newNft.tierName ?? to.name}</h3>
          <dl className="aiw3-benefits">
            {benefitRows(newNft.benefits ?? to.benefits).map((row) => (
              <div key={row.key} className="aiw3-benefit" data-benefit={row.key}>
                <dt>{row.label}</dt>
                <dd>{row.value}</dd>
              </div>
            ))}
          </dl>
          {newNft.mintAddress && (
            <p className="aiw3-success__mint">
              Mint <code>{newNft.mintAddress}</code>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
