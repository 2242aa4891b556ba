import { test } from "node:test";
import assert from "node:assert/strict";
import { RealtimeClient, parseEvent, type RealtimeEvent } from "../src/index.js";
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
