import { useEffect, useMemo, useState } from "react";
import {
  Api,
  BadgeActivation,
  ClaimNft,
  ConnectionStatus,
  NftUpgrade,
  ProcessClient,
  RealtimeClient,
  UpgradeClient,
  WalletPicker,
  bearerEventSource,
  connectWallet,
  useWallets,
} from "@aiw3/client";

// Where the platform is: ./run-local's ports by default; ?api=, ?node=, ?ipfs= point elsewhere.
const params = new URLSearchParams(location.search);
const API = params.get("api") ?? import.meta.env.VITE_AIW3_API ?? "http://localhost:8080";
const NODE = params.get("node") ?? "http://localhost:8899";
const IPFS = params.get("ipfs") ?? "http://localhost:5001";
const CHAIN = "solana:localnet";

/** The local run's development token (never in production: the app's sign-in issues the JWT). */
async function devToken(userId) {
  const response = await fetch(`${API}/dev/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userId, roles: ["user"] }),
  });
  if (!response.ok) throw new Error(`dev token: HTTP ${response.status}`);
  return (await response.json()).access_token;
}

function Session({ token }) {
  const clients = useMemo(() => {
    const options = { baseUrl: API, token: () => token, eventSource: bearerEventSource(() => token) };
    return {
      api: new Api(options),
      upgrades: new UpgradeClient(options),
      processes: new ProcessClient(new Api(options), options.eventSource),
      stream: new RealtimeClient({ url: `${API}/api/events/stream`, eventSource: options.eventSource }),
    };
  }, [token]);
  const { wallets, selected, select, signAndSendBurn } = useWallets(CHAIN);
  const [tiers, setTiers] = useState([]);
  const [mine, setMine] = useState(undefined);
  const [note, setNote] = useState("");

  const load = async () => {
    setTiers(await clients.upgrades.tiers());
    setMine(await clients.api.request("GET", "/api/v1/nft/mine").catch(() => null));
  };

  useEffect(() => {
    clients.stream.connect();
    void load();
    return () => clients.stream.close();
  }, [clients]);

  // The local run only: a tier-1 NFT minted into the selected wallet and registered for this user.
  const getDevNft = async () => {
    const [account] = selected.accounts.length ? selected.accounts : await connectWallet(selected);
    const response = await fetch(`${NODE}/dev/wallet/nfts`, { method: "POST", body: JSON.stringify({ wallet: account.address }) });
    const nft = await response.json();
    await clients.api.request("POST", "/api/v1/nft/dev/holders", { wallet: nft.wallet, mint: nft.mint });
    setNote(`NFT ${nft.mint} is in ${account.address}`);
    await load();
  };

  // The upgrade on screen keeps its two tiers until the user moves on, so its success panel stays.
  const [pair, setPair] = useState(null);
  const next = mine ? tiers.find((tier) => tier.level === mine.tier.level + 1) : undefined;
  useEffect(() => {
    if (!pair && mine && next) setPair({ from: mine.tier, to: next, key: mine.mintAddress });
  }, [pair, mine, next]);
  return (
    <>
      <header>
        <strong>AIW3</strong>
        <ConnectionStatus stream={clients.stream} />
      </header>
      <main>
        <section className="card" aria-label="Wallet">
          <WalletPicker wallets={wallets} selected={selected} select={select} />
          {selected && mine === null && (
            <button type="button" className="aiw3-button" onClick={() => void getDevNft()}>
              Get a development NFT
            </button>
          )}
          {note && <small>{note}</small>}
        </section>
        {mine && (
          <p id="nft" data-level={mine.tier.level}>
            You hold <strong>{mine.tier.name}</strong> (level {mine.tier.level})
          </p>
        )}
        {pair && signAndSendBurn && (
          <NftUpgrade
            key={pair.key}
            client={clients.upgrades}
            signAndSendBurn={signAndSendBurn}
            from={pair.from}
            to={pair.to}
            ipfsGateway={IPFS}
            walletName={selected?.name}
            onCompleted={() => void load()}
          />
        )}
        {pair && mine && mine.tier.level > pair.from.level && (
          <button type="button" className="aiw3-button aiw3-button--quiet" onClick={() => setPair(null)}>
            Next upgrade
          </button>
        )}
        {mine === null && <ClaimNft client={clients.processes} />}
        {mine && <BadgeActivation client={clients.processes} badgeCode="first-trade" badgeName="First Trade" />}
      </main>
    </>
  );
}

export function App() {
  const [token, setToken] = useState(null);
  const [user, setUser] = useState(params.get("user") ?? "");
  const [error, setError] = useState("");
  const signIn = async (userId) => {
    try {
      setToken(await devToken(userId));
    } catch (e) {
      setError(String(e.message ?? e));
    }
  };
  useEffect(() => {
    if (params.get("user")) void signIn(params.get("user"));
  }, []);
  if (token) return <Session token={token} />;
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void signIn(user);
      }}
    >
      <label>
        User id
        <input value={user} onChange={(e) => setUser(e.target.value)} required maxLength={64} />
      </label>
      <button className="aiw3-button" type="submit">
        Sign in
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
