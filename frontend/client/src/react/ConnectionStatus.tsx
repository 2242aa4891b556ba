import { useEffect, useState } from "react";
import type { ConnectionState, RealtimeClient } from "../realtime.js";

const LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  open: "Live",
  reconnecting: "Reconnecting…",
  closed: "Offline",
};

/** The user stream's connection as a pill: live, connecting, reconnecting, offline. */
export function ConnectionStatus({ stream, labels = LABELS, className }: { stream: RealtimeClient; labels?: Record<ConnectionState, string>; className?: string }) {
  const [state, setState] = useState<ConnectionState>(stream.state);
  useEffect(() => {
    setState(stream.state);
    const off = stream.onState(setState);
    return () => {
      off();
    };
  }, [stream]);
  return (
    <span className={["aiw3-connection", className].filter(Boolean).join(" ")} role="status" data-state={state}>
      <span className="aiw3-connection__dot" aria-hidden="true" />
      {labels[state]}
    </span>
  );
}
