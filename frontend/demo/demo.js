// The demo page: plain ES modules over the @aiw3/client build (served at /demo/src/ in the local run).
import { Api } from "./src/http.js";
import { applyInboxEvent, InboxClient } from "./src/inbox.js";
import { RealtimeClient } from "./src/realtime.js";
import { UpgradeClient } from "./src/upgrade.js";
import { initialUpgradeState, isTerminal, upgradeReducer } from "./src/upgradeState.js";

// The local run's Solana node and IPFS gateway (deploy/solana-local): a tier's image is `ipfs://<cid>` of its
// artwork. `?node=` and `?ipfs=` point the page at another run's (the system tests' platform).
const query = new URLSearchParams(location.search);
const SOLANA_DEV_NODE = query.get("node") ?? `${location.protocol}//${location.hostname}:8899`;
const IPFS_GATEWAY = query.get("ipfs") ?? `${location.protocol}//${location.hostname}:5001`;
const imageOf = (tier) =>
  tier.imageUri ? `<img class="artwork" src="${IPFS_GATEWAY}/ipfs/${tier.imageUri.slice("ipfs://".length)}" alt="${tier.name}" width="96" height="96"><br>` : "";
const $ = (id) => document.getElementById(id);
let token = "";
const client = new UpgradeClient({ token: () => token });
const api = new Api({ token: () => token });
const inboxClient = new InboxClient({ token: () => token });
let realtime;
let inbox = { items: [], unread: 0, unseen: 0 };
let state = initialUpgradeState;
let currentTier;
let tiers = [];

function render() {
  $("status").textContent = state.status;
  $("status").dataset.status = state.status;
  $("message").textContent = state.message;
  $("bar").style.width = `${state.progress}%`;
  $("bar").className = "bar" + (state.status === "completed" ? " done" : state.error ? " failed" : state.status === "awaiting_burn" ? " waiting" : "");
  $("wallet").hidden = state.status !== "awaiting_burn";
  $("steps").innerHTML = state.steps.map((s) => `<li data-step="${s}">${s.replaceAll("_", " ")}</li>`).join("");
  $("error").textContent = state.error ?? "";
  $("cancel").hidden = state.status !== "awaiting_burn";
  $("upgrade").disabled = !currentTier || (state.status !== "idle" && !isTerminal(state.status));
}

function dispatch(action) {
  state = upgradeReducer(state, action);
  render();
}

function notify(event) {
  const li = document.createElement("li");
  li.dataset.type = event.type;
  li.dataset.id = event.id ?? "";
  li.textContent = `[${event.type}] ${event.message}`;
  $("notifications").prepend(li);
}

// The inbox: the bell shows the unread count; a read here or on another page clears it everywhere.
function renderInbox() {
  $("badge").textContent = String(inbox.unread);
  $("badge").dataset.unread = String(inbox.unread);
  const list = $("inbox");
  list.replaceChildren(
    ...inbox.items.map((item) => {
      const li = document.createElement("li");
      li.dataset.id = item.id;
      li.className = item.readAt ? "read" : "unread";
      li.textContent = `${item.title}${item.groupCount > 1 ? ` (${item.groupCount})` : ""} — ${item.body}`;
      if (!item.readAt) {
        const read = document.createElement("button");
        read.textContent = "Read";
        read.className = "read";
        read.onclick = () => inboxClient.markRead(item.id).catch((e) => ($("error").textContent = e.message));
        li.append(read);
      }
      return li;
    }),
  );
}

async function loadInbox() {
  const [page, counts] = await Promise.all([inboxClient.list({ limit: 20 }), inboxClient.unreadCount()]);
  inbox = { items: page.items, unread: counts.unread, unseen: counts.unseen };
  renderInbox();
}

async function loadNft() {
  tiers = await client.tiers();
  try {
    const mine = await api.request("GET", "/api/v1/nft/mine");
    currentTier = mine.tier;
    $("nft").innerHTML = `${imageOf(mine.tier)}<strong>${mine.tier.name}</strong> (level ${mine.tier.level})<br><code>${mine.mintAddress}</code>`;
    $("nft").dataset.level = mine.tier.level;
    $("get-nft").hidden = true;
  } catch {
    currentTier = undefined;
    $("nft").textContent = "You hold no NFT yet.";
    $("get-nft").hidden = false;
  }
  $("tiers").innerHTML = tiers.map((t) => `<li>${t.name}${currentTier && t.level === currentTier.level ? " ← yours" : ""}</li>`).join("");
  render();
}

$("sign-in").onclick = async () => {
  const response = await fetch("/dev/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userId: $("user").value, roles: ["user"] }),
  });
  token = (await response.json()).access_token;
  await api.openSession(); // the cookie that lets EventSource authenticate
  $("login").hidden = true;
  $("app").hidden = false;
  realtime = new RealtimeClient({ url: "/api/events/stream" });
  realtime.onState((s) => {
    $("connection").textContent = s;
    $("connection").className = `pill ${s}`;
    $("connection").dataset.state = s;
  });
  realtime.on("*", (event) => {
    if (event.type.startsWith("inbox_")) {
      inbox = applyInboxEvent(inbox, event);
      renderInbox();
    } else if (event.type !== "connection_established") notify(event);
  });
  realtime.connect();
  $("bell").hidden = false;
  await loadInbox();
  await loadNft();
};

$("get-nft").onclick = async () => {
  const nft = await (await fetch(`${SOLANA_DEV_NODE}/dev/wallet/nfts`, { method: "POST" })).json();
  await api.request("POST", "/api/v1/nft/dev/holders", { wallet: nft.wallet, mint: nft.mint });
  await loadNft();
};

$("upgrade").onclick = async () => {
  const next = tiers.find((t) => t.level === currentTier.level + 1);
  dispatch({ type: "connecting" });
  try {
    const upgrade = await client.start(next.id);
    dispatch({ type: "started", upgrade });
    client.follow(upgrade, (event) => {
      dispatch({ type: "step", event });
      if (event.status === "completed") loadNft();
    });
    if (upgrade.status === "awaiting_burn") {
      // The wallet's part: the development wallet signs and sends the real burn transaction.
      const sent = await (await fetch(`${SOLANA_DEV_NODE}/dev/wallet/sign-and-send`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ transaction: upgrade.burnTransaction }),
      })).json();
      if (!sent.signature) throw new Error(sent.error ?? "the wallet did not sign");
      await client.confirmBurn(upgrade.upgradeId, sent.signature);
    }
  } catch (e) {
    dispatch({ type: "error", message: e.message });
  }
};

$("cancel").onclick = async () => {
  if (state.upgradeId) await client.cancel(state.upgradeId).catch((e) => dispatch({ type: "error", message: e.message }));
};

$("bell").onclick = () => $("inbox-card").scrollIntoView();
$("mark-all-read").onclick = () => inboxClient.markAllRead().catch((e) => ($("error").textContent = e.message));

// Going offline and back resumes from the last event received: nothing missed, nothing twice.
$("disconnect").onclick = () => realtime?.close();
$("reconnect").onclick = () => realtime?.connect();
