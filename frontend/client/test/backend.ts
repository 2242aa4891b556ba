import { Api } from "../src/http.js";
import { ProcessClient } from "../src/process.js";
import { UpgradeClient } from "../src/upgrade.js";
import { FakeEventSource, factory } from "./fakes.js";

/** The gateway as a fetch stub: answers by "METHOD path" and records every request. */
export function stubBackend(routes: Record<string, (body: unknown) => unknown>) {
  const requests: string[] = [];
  const fetchStub = (async (url: string, init: RequestInit) => {
    const key = `${init.method} ${new URL(url, "http://localhost").pathname}`;
    requests.push(key);
    const route = routes[key];
    if (!route) return new Response(JSON.stringify({ status: 404, title: "Not Found" }), { status: 404 });
    const answer = route(init.body ? JSON.parse(String(init.body)) : undefined);
    if (answer instanceof Response) return answer;
    return answer === undefined ? new Response(null, { status: 204 }) : new Response(JSON.stringify(answer), { status: 202 });
  }) as unknown as typeof fetch;
  FakeEventSource.opened = [];
  const options = { token: () => "jwt", fetch: fetchStub, eventSource: factory };
  return {
    requests,
    upgrades: new UpgradeClient(options),
    processes: new ProcessClient(new Api(options), factory),
    stream: (index = -1) => FakeEventSource.opened.at(index)!,
  };
}

export const tiers = {
  from: { id: 1, level: 1, name: "Tech Chicken", symbol: "AIW3", description: "", imageUri: "ipfs://bafychicken", benefits: { tradingFeeDiscount: "0%" }, requirements: [] },
  to: { id: 2, level: 2, name: "Quant Ape", symbol: "AIW3", description: "", imageUri: "ipfs://bafyape", benefits: { tradingFeeDiscount: "10%", aiAgentUses: 3 }, requirements: [] },
};

export function upgradeView(status: string, progress: number, extra: Record<string, unknown> = {}) {
  return { upgradeId: "u-1", status, progress, fromTierId: 1, targetTierId: 2, eventsUrl: "/api/v1/nft/upgrade/u-1/events", createdAt: "t", updatedAt: "t", ...extra };
}

/** A promise the test settles when it wants (a wallet waiting for the user). */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
