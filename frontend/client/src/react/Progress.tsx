/** The parts every process display shares: the progress bar and the list of steps with their icons. */

export type StepState = "done" | "current" | "pending" | "failed";

const ICONS: Record<StepState, string> = { done: "✓", current: "•", pending: "○", failed: "✕" };
const SPOKEN: Record<StepState, string> = { done: "done", current: "in progress", pending: "to do", failed: "failed" };

export function ProgressBar({ value, label, tone }: { value: number; label: string; tone: "running" | "waiting" | "done" | "failed" }) {
  const clamped = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      className="aiw3-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      data-tone={tone}
    >
      <div className="aiw3-progress__fill" style={{ width: `${clamped}%` }} />
    </div>
  );
}

export interface StepItem {
  key: string;
  label: string;
  state: StepState;
}

export function StepList({ steps, label }: { steps: StepItem[]; label: string }) {
  return (
    <ol className="aiw3-steps" aria-label={label}>
      {steps.map((step) => (
        <li key={step.key} className="aiw3-step" data-step={step.key} data-state={step.state} aria-current={step.state === "current" ? "step" : undefined}>
          <span className="aiw3-step__icon" aria-hidden="true">
            {ICONS[step.state]}
          </span>
          <span className="aiw3-step__label">{step.label}</span>
          <span className="aiw3-visually-hidden">, {SPOKEN[step.state]}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * The step list of a process: its happy path in order, each marked done, current or pending; a
 * failure replaces the step it happened at.
 */
export function stepItems<S extends string>(path: readonly S[], seen: readonly string[], status: string, failed: boolean, labels: Record<string, string>): StepItem[] {
  const failedStatus = failed ? status : null;
  const reached = path.filter((s) => seen.includes(s));
  const last = reached.at(-1);
  const items: StepItem[] = path.map((key) => ({
    key,
    label: labels[key] ?? key.replaceAll("_", " "),
    state: seen.includes(key) ? (key === last && !failed && key !== path.at(-1) ? "current" : "done") : "pending",
  }));
  if (failedStatus) {
    const at = items.findIndex((item) => item.state === "pending");
    const failure: StepItem = { key: failedStatus, label: labels[failedStatus] ?? failedStatus.replaceAll("_", " "), state: "failed" };
    if (at < 0) items.push(failure);
    else items.splice(at, items.length - at, failure);
  }
  return items;
}

/** `ipfs://<cid>[/path]` through an HTTP gateway a browser can load; http(s) URLs as they are. */
export function httpImage(uri: string | null | undefined, ipfsGateway: string | undefined): string | undefined {
  if (!uri) return undefined;
  if (/^https?:\/\//.test(uri)) return uri;
  if (uri.startsWith("ipfs://") && ipfsGateway) return `${ipfsGateway.replace(/\/$/, "")}/ipfs/${uri.slice("ipfs://".length)}`;
  return undefined;
}

const BENEFIT_LABELS: Record<string, string> = {
  tradingFeeDiscount: "Trading fee discount",
  aiAgentUses: "AI agent uses",
};

/** A tier's benefits as label and value, in the order the tier lists them. */
export function benefitRows(benefits: Record<string, unknown> | undefined): { key: string; label: string; value: string }[] {
  return Object.entries(benefits ?? {}).map(([key, value]) => ({
    key,
    label: BENEFIT_LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()),
    value: typeof value === "object" ? JSON.stringify(value) : String(value),
  }));
}
