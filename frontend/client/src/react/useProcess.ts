import { useCallback, useEffect, useReducer, useRef } from "react";
import { ACTIVATION, CLAIM, type Activation, type ActivationStatus, type Claim, type ClaimStatus, type ProcessClient, type ProcessKind, type ProcessStep } from "../process.js";

/** A claim's or an activation's state: as the upgrade's, for a progress display. */
export interface ProcessState<S extends string> {
  status: "idle" | "starting" | S;
  progress: number;
  message: string;
  error: string | null;
  id: string | null;
  /** Every step seen, in order. */
  steps: S[];
  /** The last step's stream event, or the process as the POST answered it. */
  data: unknown;
}

type Action<S extends string> =
  | { type: "starting" }
  | { type: "started"; id: string; status: S; progress: number; failure: string | null; data: unknown }
  | { type: "step"; step: ProcessStep<S> }
  | { type: "error"; message: string };

const idle: ProcessState<never> = { status: "idle", progress: 0, message: "", error: null, id: null, steps: [], data: null };

function reducerOf<S extends string>(kind: ProcessKind<S, unknown>) {
  const apply = (state: ProcessState<S>, status: S, progress: number, message: string, failure: string | null): ProcessState<S> => ({
    ...state,
    status,
    progress: kind.failures.has(status) ? state.progress : Math.max(state.progress, progress),
    message,
    error: kind.failures.has(status) ? (failure ?? message) : state.error,
    steps: state.steps.includes(status) ? state.steps : [...state.steps, status],
  });
  return (state: ProcessState<S>, action: Action<S>): ProcessState<S> => {
    switch (action.type) {
      case "starting":
        return { ...idle, status: "starting" };
      case "started":
        return apply({ ...state, id: action.id, data: action.data }, action.status, action.progress, state.message, action.failure);
      case "step": {
        const { step } = action;
        if (state.id !== null && step.id !== state.id) return state;
        if (state.steps.includes(step.status) || kind.terminal.has(state.status as S)) return state;
        return apply({ ...state, id: step.id, data: step.event }, step.status, step.progress, step.message, null);
      }
      case "error":
        return { ...state, error: action.message };
    }
  };
}

export interface UseProcess<S extends string> {
  state: ProcessState<S>;
  isRunning: boolean;
  /** Starts the process (again, after a failure: Try Again). */
  start: () => Promise<void>;
}

/** A streamed process as a React hook: POST, then its own stream to a terminal status. */
export function useProcess<S extends string, V extends { eventsUrl: string }>(
  kind: ProcessKind<S, V>,
  client: ProcessClient,
  post: () => Promise<V>,
): UseProcess<S> {
  const reducer = useRef(reducerOf(kind as ProcessKind<S, unknown>)).current;
  const [state, dispatch] = useReducer(reducer, idle as ProcessState<S>);
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);

  const start = useCallback(async () => {
    stop.current?.();
    dispatch({ type: "starting" });
    try {
      await client.api.openSession();
      const view = await post();
      dispatch({
        type: "started",
        id: kind.idOf(view),
        status: kind.statusOf(view),
        progress: kind.progressOf(view),
        failure: kind.failureOf(view) ?? null,
        data: view,
      });
      if (!kind.terminal.has(kind.statusOf(view))) {
        stop.current = client.follow(kind, view, (step) => dispatch({ type: "step", step }));
      }
    } catch (e) {
      dispatch({ type: "error", message: e instanceof Error ? e.message : String(e) });
    }
  }, [client, kind, post]);

  const isRunning = state.status !== "idle" && !kind.terminal.has(state.status as S) && state.error === null;
  return { state, isRunning, start };
}

/** The first-NFT claim (`POST /api/v1/nft/claim`), followed on its stream. */
export function useNFTClaim(client: ProcessClient): UseProcess<ClaimStatus> {
  const post = useCallback(() => client.claim(), [client]);
  return useProcess<ClaimStatus, Claim>(CLAIM, client, post);
}

/** A badge's activation (`POST /api/v1/badges/{code}/activate`), followed on its stream. */
export function useBadgeActivation(client: ProcessClient, badgeCode: string): UseProcess<ActivationStatus> {
  const post = useCallback(() => client.activateBadge(badgeCode), [client, badgeCode]);
  return useProcess<ActivationStatus, Activation>(ACTIVATION, client, post);
}
