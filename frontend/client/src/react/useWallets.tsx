import { useEffect, useMemo, useState } from "react";
import { walletSigner, watchSigningWallets, type SigningWallet, type SolanaChain } from "../wallet/walletStandard.js";

export interface UseWallets {
  /** The installed wallets that can sign and send on the chain (updated when one registers late). */
  wallets: SigningWallet[];
  selected: SigningWallet | null;
  select: (wallet: SigningWallet | null) => void;
  /** The `signAndSendBurn` of the selected wallet, or null while none is selected. */
  signAndSendBurn: ((burnTransactionBase64: string) => Promise<string>) | null;
}

/** The Wallet Standard wallets of the page and the one the user chose (the only one, when just one is installed). */
export function useWallets(chain: SolanaChain): UseWallets {
  const [wallets, setWallets] = useState<SigningWallet[]>([]);
  const [chosen, select] = useState<SigningWallet | null>(null);
  useEffect(() => watchSigningWallets(chain, setWallets), [chain]);
  const selected = chosen && wallets.includes(chosen) ? chosen : wallets.length === 1 ? wallets[0]! : null;
  const signAndSendBurn = useMemo(() => (selected ? walletSigner({ wallet: selected, chain }) : null), [selected, chain]);
  return { wallets, selected, select, signAndSendBurn };
}

/** The installed wallets as buttons (icon and name); "no wallet" with a hint when there is none. */
export function WalletPicker({ wallets, selected, select }: Pick<UseWallets, "wallets" | "selected" | "select">) {
  if (wallets.length === 0) {
    return (
      <p className="aiw3-wallets aiw3-wallets--none" role="status">
        No Solana wallet found. Install Phantom, Solflare or Backpack and reload the page.
      </p>
    );
  }
  return (
    <div className="aiw3-wallets" role="group" aria-label="Wallet">
      {wallets.map((wallet) => (
        <button
          key={wallet.name}
          type="button"
          className="aiw3-wallet"
          aria-pressed={wallet === selected}
          onClick={() => select(wallet)}
        >
          <img src={wallet.icon} alt="" width={20} height={20} /> {wallet.name}
        </button>
      ))}
    </div>
  );
}
