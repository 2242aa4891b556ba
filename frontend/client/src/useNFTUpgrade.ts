import { useCallback, useEffect, useReducer, useRef } from "react";
import type { UpgradeClient } from "./upgrade.js";
import { initialUpgradeState, isTerminal, upgradeReducer, type UpgradeState } from "./upgradeState.js";

export interface UseNFTUpgradeOptions {
  client: UpgradeClient;
  /**
   * The wallet's part: sign the unsigned burn transaction (base64) and send it; resolve with the
   * transaction signature. In the local run the development wallet does it.
   */
  signAndSendBurn: (burnTransactionBase64: string, upgradeId: string) => Promise<string>;
}

export interface UseNFTUpgrade {
  upgradeState: UpgradeState;
  isUpgrading: boolean;
  startUpgrade: (targetTierId: number) => Promise<void>;
  cancelUpgrade: () => Promise<void>;
}

/**
 * The upgrade as a React hook: POST starts the upgrade (202 with the burn transaction),
 * the upgrade's own SSE stream reports each step, the wallet signs the burn, confirm-burn drives the
 * rest. No polling.
 */
export function useNFTUpgrade({ client, signAndSendBurn }: UseNFTUpgradeOptions): UseNFTUpgrade {
  const [upgradeState, dispatch] = useReducer(upgradeReducer, initialUpgradeState);
  const stop = useRef<(() => void) | null>(null);

  useEffect(() => () => stop.current?.(), []);

  const startUpgrade = useCallback(
    async (targetTierId: number) => {
      stop.current?.();
      dispatch({ type: "connecting" });
      try {
        await client.api.openSession();
        const upgrade = await client.start(targetTierId);
        dispatch({ type: "started", upgrade });
        stop.current = client.follow(upgrade, (event) => dispatch({ type: "step", event }));
        if (upgrade.status === "awaiting_burn" && upgrade.burnTransaction) {
          const signature = await signAndSendBurn(upgrade.burnTransaction, upgrade.upgradeId);
          await client.confirmBurn(upgrade.upgradeId, signature);
        }
      } catch (e) {
        dispatch({ type: "error", message: e instanceof Error ? e.message : String(e) });
      }
    },
    [client, signAndSendBurn],
  );

  const cancelUpgrade = useCallback(async () => {
    if (!upgradeState.upgradeId) return;
    try {
      await client.cancel(upgradeState.upgradeId);
    } catch (e) {
      dispatch({ type: "error", message: e instanceof Error ? e.message : String(e) });
    }
  }, [client, upgradeState.upgradeId]);

  const isUpgrading = upgradeState.status !== "idle" && !isTerminal(upgradeState.status);
  return { upgradeState, isUpgrading, startUpgrade, cancelUpgrade };
}
