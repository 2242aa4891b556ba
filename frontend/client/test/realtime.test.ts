import { test } from "node:test";
import assert from "node:assert/strict";
import { Api, RealtimeClient, UpgradeClient, parseEvent, type RealtimeEvent } from "../src/index.js";
import { FakeEventSource, factory } from "./fakes.js";

test("events reach the listeners of their type and of *, once per id", () => {
  FakeEventSource.opened = [];
  const client = new RealtimeClient({ url: "/api/events/stream", eventSource: factory });
  const prices: RealtimeEvent[] = [];
  const all: RealtimeEvent[] = [];
  client.on("price_alert", (e) => prices.push(e));
  client.on("*", (e) => all.push(e));
  client.connect();
  const source = FakeEventSource.opened[0]!;
  source.open();
  source.message({ type: "connection_established", message: "hi", data: {}, timestamp: "t" });
  source.message({ type: "price_alert", message: "BTC", data: {}, timestamp: "t" }, "a.-");
  source.message({ type: "price_alert", message: "BTC", data: {}, timestamp: "t" }, "a.-");
  source.message({ type: "feature_announcement", message: "new", data: {}, timestamp: "t" }, "-.b");
  assert.equal(prices.length, 1);
  assert.equal(prices[0]!.id, "a.-");
  assert.deepEqual(all.map((e) => e.type), ["connection_established", "price_alert", "feature_announcement"]);
  assert.equal(client.resumeFrom, "-.b");
  assert.equal(client.state, "open");
});

test("when the browser gives up, a new stream resumes from the last event id", async () => {
  FakeEventSource.opened = [];
  const client = new RealtimeClient({ url: "/api/events/stream", eventSource: factory, retryDelayMs: () => 1 });
  const states: string[] = [];
  client.onState((s) => states.push(s));
  client.connect();
  const first = FakeEventSource.opened[0]!;
  first.open();
  first.message({ type: "badge_earned", message: "b", data: {}, timestamp: "t" }, "u1.-");
  first.fail(false); // the browser retries by itself
  assert.equal(FakeEventSource.opened.length, 1);
  first.fail(true); // it gave up (e.g. a 503)
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(FakeEventSource.opened.length, 2);
  assert.equal(FakeEventSource.opened[1]!.url, "/api/events/stream?lastEventId=u1.-");
  FakeEventSource.opened[1]!.open();
  assert.deepEqual(states, ["connecting", "open", "reconnecting", "open"]);
  client.close();
  assert.equal(client.state, "closed");
});

test("connecting a client that is connected already keeps its one stream; after close it connects again", () => {
  FakeEventSource.opened = [];
  const client = new RealtimeClient({ url: "/s", eventSource: factory });
  client.connect();
  FakeEventSource.opened[0]!.open();
  client.connect();
  assert.equal(FakeEventSource.opened.length, 1);
  assert.equal(FakeEventSource.opened[0]!.closed, false);
  assert.equal(client.state, "open");
  client.close();
  client.connect();
  assert.equal(FakeEventSource.opened.length, 2);
  assert.equal(client.state, "connecting");
});

test("a forced reconnect neither loses nor repeats events", () => {
  FakeEventSource.opened = [];
  const client = new RealtimeClient({ url: "/s", eventSource: factory });
  const seen: string[] = [];
  client.on("*", (e) => seen.push(e.message));
  client.connect();
  FakeEventSource.opened[0]!.message({ type: "price_alert", message: "one", data: {}, timestamp: "t" }, "1");
  client.reconnect();
  assert.equal(FakeEventSource.opened[0]!.closed, true);
  assert.equal(FakeEventSource.opened[1]!.url, "/s?lastEventId=1");
  FakeEventSource.opened[1]!.message({ type: "price_alert", message: "one", data: {}, timestamp: "t" }, "1");
  FakeEventSource.opened[1]!.message({ type: "price_alert", message: "two", data: {}, timestamp: "t" }, "2");
  assert.deepEqual(seen, ["one", "two"]);
});

test("malformed data is dropped, unknown types are passed on", () => {
  assert.equal(parseEvent("{not json"), undefined);
  assert.equal(parseEvent('{"message":"no type"}'), undefined);
  assert.equal(parseEvent('{"type":"something_new","message":"m","data":{},"timestamp":"t"}')?.type, "something_new");
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A fetch that records each call (method, path, bearer token) and answers with `status`. */
function recordingFetch(calls: string[], status = 204): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push(`${init?.method} ${String(input)} ${headers.Authorization}`);
    return new Response(status === 204 ? null : JSON.stringify({ status, detail: "refused" }), { status });
  }) as typeof fetch;
}

test("a stream whose session expired runs the refresh hook and resumes from its last event", async () => {
  FakeEventSource.opened = [];
  let refreshed = 0;
  const client = new RealtimeClient({ url: "/api/events/stream", eventSource: factory, refreshSession: async () => void refreshed++ });
  const seen: string[] = [];
  client.on("*", (e) => seen.push(e.type));
  client.connect();
  const first = FakeEventSource.opened[0]!;
  first.open();
  first.message({ type: "price_alert", message: "one", data: {}, timestamp: "t" }, "u1.-");
  first.message({ type: "session_expired", message: "expired", data: { reason: "session_expired" }, timestamp: "t" });
  assert.equal(first.closed, true, "the ended stream is not left to reconnect with the old cookie");
  assert.equal(client.state, "reconnecting");
  await tick();
  assert.equal(refreshed, 1);
  assert.equal(FakeEventSource.opened.length, 2);
  assert.equal(FakeEventSource.opened[1]!.url, "/api/events/stream?lastEventId=u1.-");
  FakeEventSource.opened[1]!.open();
  assert.equal(client.state, "open");
  assert.deepEqual(seen, ["price_alert", "session_expired"]);
  client.close();
});

test("a refused reconnection (how a 401 shows) refreshes the session once, then resumes", async () => {
  FakeEventSource.opened = [];
  let refreshed = 0;
  const client = new RealtimeClient({
    url: "/s",
    eventSource: factory,
    retryDelayMs: () => 1,
    refreshSession: async () => void refreshed++,
  });
  client.connect();
  FakeEventSource.opened[0]!.open();
  FakeEventSource.opened[0]!.message({ type: "badge_earned", message: "b", data: {}, timestamp: "t" }, "u7.-");
  FakeEventSource.opened[0]!.fail(true);
  await tick();
  assert.equal(refreshed, 1);
  assert.equal(FakeEventSource.opened[1]!.url, "/s?lastEventId=u7.-");
  FakeEventSource.opened[1]!.fail(true); // refused again: back off without asking again
  await tick();
  assert.equal(refreshed, 1);
  assert.equal(FakeEventSource.opened.length, 3);
  client.close();
});

test("without a refresh hook an expired session ends the stream and says why", () => {
  FakeEventSource.opened = [];
  const ended: string[] = [];
  const client = new RealtimeClient({ url: "/s", eventSource: factory, onSessionEnd: (reason) => ended.push(reason) });
  client.connect();
  FakeEventSource.opened[0]!.message({ type: "session_expired", message: "m", data: { reason: "session_expired" }, timestamp: "t" });
  assert.deepEqual(ended, ["session_expired"]);
  assert.equal(client.state, "closed");
  assert.equal(FakeEventSource.opened.length, 1);
});

test("logged_out ends the stream for good, even with a refresh hook", async () => {
  FakeEventSource.opened = [];
  const ended: string[] = [];
  let refreshed = 0;
  const client = new RealtimeClient({
    url: "/s",
    eventSource: factory,
    refreshSession: async () => void refreshed++,
    onSessionEnd: (reason) => ended.push(reason),
  });
  client.connect();
  FakeEventSource.opened[0]!.open();
  FakeEventSource.opened[0]!.message({ type: "logged_out", message: "m", data: { reason: "logged_out" }, timestamp: "t" });
  await tick();
  assert.deepEqual(ended, ["logged_out"]);
  assert.equal(refreshed, 0);
  assert.equal(client.state, "closed");
  assert.equal(FakeEventSource.opened[0]!.closed, true);
  assert.equal(FakeEventSource.opened.length, 1);
});

test("stream_evicted closes the stream instead of reconnecting it, which would evict the next oldest", async () => {
  FakeEventSource.opened = [];
  const seen: string[] = [];
  const client = new RealtimeClient({ url: "/s", eventSource: factory });
  client.on("*", (event) => seen.push(event.type));
  client.connect();
  FakeEventSource.opened[0]!.open();
  FakeEventSource.opened[0]!.message({
    type: "stream_evicted",
    message: "m",
    data: { reason: "too_many_streams", limit: 3 },
    timestamp: "t",
  });
  await tick();
  assert.deepEqual(seen, ["stream_evicted"]);
  assert.equal(client.state, "closed");
  assert.equal(FakeEventSource.opened[0]!.closed, true);
  assert.equal(FakeEventSource.opened.length, 1);
});

test("the Api's refreshToken hook gets a new token and renews the cookie before the stream resumes", async () => {
  FakeEventSource.opened = [];
  const calls: string[] = [];
  let token = "old";
  const api = new Api({ token: () => token, refreshToken: async () => void (token = "new"), fetch: recordingFetch(calls) });
  const client = new RealtimeClient({ url: "/api/events/stream", eventSource: factory, session: api });
  client.connect();
  FakeEventSource.opened[0]!.message({ type: "price_alert", message: "one", data: {}, timestamp: "t" }, "u2.-");
  FakeEventSource.opened[0]!.message({ type: "session_expired", message: "m", data: { reason: "session_expired" }, timestamp: "t" });
  await tick();
  assert.deepEqual(calls, ["POST /api/v1/auth/session Bearer new"]);
  assert.equal(FakeEventSource.opened[1]!.url, "/api/events/stream?lastEventId=u2.-");
  client.close();
});

test("closeSession closes every stream of the session, then signs out at the gateway", async () => {
  FakeEventSource.opened = [];
  const calls: string[] = [];
  const api = new Api({ token: () => "t1", fetch: recordingFetch(calls) });
  const user = new RealtimeClient({ url: "/api/events/stream", eventSource: factory, session: api });
  const upgrade = new UpgradeClient({ token: () => "t1", fetch: recordingFetch(calls), eventSource: factory });
  const other = new RealtimeClient({ url: "/elsewhere", eventSource: factory });
  user.connect();
  other.connect();
  const stopFollowing = upgrade.follow({ eventsUrl: "/api/v1/nft/upgrade/u/events" }, () => {});
  assert.equal(FakeEventSource.opened.length, 3);

  await api.closeSession();
  assert.equal(user.state, "closed");
  assert.equal(FakeEventSource.opened[0]!.closed, true);
  assert.equal(FakeEventSource.opened[1]!.closed, false, "a stream of another session stays open");
  assert.deepEqual(calls, ["DELETE /api/v1/auth/session Bearer t1"]);

  await upgrade.api.closeSession();
  assert.equal(FakeEventSource.opened[2]!.closed, true, "the upgrade's stream belongs to its client's session");
  stopFollowing();
  other.close();
});

test("closeSession of a session already signed out (401) counts as done", async () => {
  const calls: string[] = [];
  const api = new Api({ token: () => "t", fetch: recordingFetch(calls, 401) });
  await api.closeSession();
  assert.equal(calls.length, 1);
});
