import { useCallback, useEffect, useReducer, useRef } from "react";
import type { UpgradeClient } from "./upgrade.js";
import { initialUpgradeState, isTerminal, upgradeReducer, type UpgradeState } from "./upgradeState.js";
import { WalletSigningError } from "./wallet/walletStandard.js";

export interface UseNFTUpgradeOptions {
  client: UpgradeClient;
  /**
   * The wallet's part: sign the unsigned burn transaction (base64) and send it; resolve with the
   * transaction signature. `walletSigner` makes one for a Wallet Standard wallet; in the local run the
   * development wallet can do it. A {@link WalletSigningError} it throws becomes `upgradeState.walletError`.
   */
  signAndSendBurn: (burnTransactionBase64: string, upgradeId: string) => Promise<string>;
}

export interface UseNFTUpgrade {
  upgradeState: UpgradeState;
  isUpgrading: boolean;
  startUpgrade: (targetTierId: number) => Promise<void>;
  cancelUpgrade: () => Promise<void>;
  /**
   * Try Again: while the upgrade still awaits its burn (the wallet declined, or could not send), asks the
   * wallet again with a fresh burn transaction; after an upgrade that ended, starts a new one to the same tier
   * (accepted after `burn_failed` or `cancelled`; after `failed` or `mint_failed_critical` the upgrade stays
   * open until the team completes it, and a new one is refused).
   */
  retry: () => Promise<void>;
}

/**
 * The upgrade as a React hook: POST starts the upgrade (202 with the burn transaction),
 * the upgrade's own SSE stream reports each step, the wallet signs the burn, confirm-burn drives the
 * rest. No polling.
 *
 * Token refresh: the stream belongs to `client.api`'s session, so the refresh hook given to the client
 * (`new UpgradeClient({ token, refreshToken })`) renews it when its token expires, and it resumes with its
 * Last-Event-ID; `client.api.closeSession()` ends it with the rest of the session.
 */
export function useNFTUpgrade({ client, signAndSendBurn }: UseNFTUpgradeOptions): UseNFTUpgrade {
  const [upgradeState, dispatch] = useReducer(upgradeReducer, initialUpgradeState);
  const stop = useRef<(() => void) | null>(null);
  const target = useRef<number | null>(null);

  useEffect(() => () => stop.current?.(), []);

  const fail = useCallback((e: unknown) => {
    if (e instanceof WalletSigningError) {
      dispatch({ type: "walletError", problem: { kind: e.kind, message: e.message, expectedAccount: e.expectedAccount } });
    } else {
      dispatch({ type: "error", message: e instanceof Error ? e.message : String(e) });
    }
  }, []);

  const burn = useCallback(
    async (upgradeId: string, burnTransaction: string) => {
      dispatch({ type: "wallet", phase: "prompt" });
      const signature = await signAndSendBurn(burnTransaction, upgradeId);
      dispatch({ type: "wallet", phase: "sent" });
      await client.confirmBurn(upgradeId, signature);
    },
    [client, signAndSendBurn],
  );

  const startUpgrade = useCallback(
    async (targetTierId: number) => {
      stop.current?.();
      target.current = targetTierId;
      dispatch({ type: "connecting" });
      try {
        await client.api.openSession();
        const upgrade = await client.start(targetTierId);
        dispatch({ type: "started", upgrade });
        stop.current = client.follow(upgrade, (event) => dispatch({ type: "step", event }));
        if (upgrade.status === "awaiting_burn" && upgrade.burnTransaction) {
          await burn(upgrade.upgradeId, upgrade.burnTransaction);
        }
      } catch (e) {
        fail(e);
      }
    },
    [client, burn, fail],
  );

  const cancelUpgrade = useCallback(async () => {
    if (!upgradeState.upgradeId) return;
    try {
      await client.cancel(upgradeState.upgradeId);
    } catch (e) {
      fail(e);
    }
  }, [client, upgradeState.upgradeId, fail]);

  const { upgradeId, status } = upgradeState;
  const retry = useCallback(async () => {
    if (upgradeId && status === "awaiting_burn") {
      try {
        const fresh = await client.burnTransaction(upgradeId);
        await burn(upgradeId, fresh.base64);
      } catch (e) {
        fail(e);
      }
    } else if (target.current !== null) {
      await startUpgrade(target.current);
    }
  }, [client, burn, fail, startUpgrade, upgradeId, status]);

  const isUpgrading = upgradeState.status !== "idle" && !isTerminal(upgradeState.status);
  return { upgradeState, isUpgrading, startUpgrade, cancelUpgrade, retry };
}
