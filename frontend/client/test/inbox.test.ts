import "./dom.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { act, render } from "@testing-library/react";
import { InboxClient, RealtimeClient, ProblemError, useInbox, type InboxItem, type UseInbox } from "../src/index.js";
import { FakeEventSource, factory } from "./fakes.js";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function item(id: string, extra: Partial<InboxItem> = {}): InboxItem {
  return {
    id, category: "trading", priority: "low", title: id, body: `${id} happened.`, data: {}, createdAt: "2026-12-01T10:00:00Z",
    seenAt: null, readAt: null, archivedAt: null, snoozedUntil: null, groupKey: null, groupCount: 1, delivery: "delivered",
    ...extra,
  };
}

/** Renders useInbox over a fake API and a stream whose EventSource the test drives. */
async function mount(fetchStub: typeof fetch, query?: { limit: number }) {
  FakeEventSource.opened = [];
  const client = new InboxClient({ token: () => "jwt", fetch: fetchStub });
  const stream = new RealtimeClient({ url: "/api/events/stream", eventSource: factory });
  stream.connect();
  const probe: { hook?: UseInbox } = {};
  function Probe() {
    probe.hook = useInbox({ client, stream, query });
    return null;
  }
  await act(async () => {
    render(createElement(Probe));
  });
  return { probe, events: FakeEventSource.opened[0]! };
}

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

test("InboxClient sends the feed's filters, changes and mark-all-read to the notification API", async () => {
  const calls: string[] = [];
  const fetchStub = (async (url: string, init: RequestInit) => {
    calls.push(`${init.method} ${url} ${init.body ?? ""}`.trim());
    if (url.includes("/n-9")) return json({ type: "about:blank", status: 404, detail: "no notification n-9" }, 404);
    return json({ items: [], nextCursor: null, unread: 0, unseen: 0, markedRead: 0 });
  }) as unknown as typeof fetch;
  const inbox = new InboxClient({ token: () => "jwt", fetch: fetchStub });
  await inbox.list({ limit: 10, unread: true, category: "social", cursor: "abc" });
  await inbox.unreadCount();
  await inbox.update("n-1", { seen: true, snoozedUntil: null });
  await inbox.markAllRead("trading");
  await assert.rejects(inbox.markRead("n-9"), (e: unknown) => e instanceof ProblemError && e.problem.status === 404);
  assert.deepEqual(calls, [
    "GET /api/v1/notifications?cursor=abc&limit=10&unread=true&category=social",
    "GET /api/v1/notifications/unread-count",
    'PATCH /api/v1/notifications/n-1 {"seen":true,"snoozedUntil":null}',
    'POST /api/v1/notifications/mark-all-read {"category":"trading"}',
    'PATCH /api/v1/notifications/n-9 {"read":true}',
  ]);
});

test("useInbox loads the first page and the badge, pages on, and a read on another device clears the badge", async () => {
  const fetchStub = (async (url: string) => {
    if (url.endsWith("/unread-count")) return json({ unread: 2, unseen: 2 });
    if (url.includes("cursor=c1")) return json({ items: [item("n-1")], nextCursor: null });
    return json({ items: [item("n-3"), item("n-2")], nextCursor: "c1" });
  }) as unknown as typeof fetch;
  const { probe, events } = await mount(fetchStub, { limit: 2 });
  const hook = () => probe.hook!;
  assert.deepEqual(hook().items.map((i) => i.id), ["n-3", "n-2"]);
  assert.equal(hook().unread, 2);
  assert.equal(hook().hasMore, true);
  await act(async () => {
    await hook().loadMore();
  });
  assert.deepEqual(hook().items.map((i) => i.id), ["n-3", "n-2", "n-1"]);
  assert.equal(hook().hasMore, false);

  await act(async () => {
    events.message(
      { type: "inbox_item_added", message: "n-4 happened.", timestamp: "t1",
        data: { notificationId: "n-4", title: "n-4", message: "n-4 happened.", priority: "medium", category: "social",
                createdAt: "2026-12-01T11:00:00Z", groupKey: null, groupCount: 1, unreadCount: 3, unseenCount: 3 } },
      "e1",
    );
  });
  assert.deepEqual(hook().items.map((i) => i.id), ["n-4", "n-3", "n-2", "n-1"]);
  assert.equal(hook().unread, 3);

  // Another device reads n-3, then marks everything read.
  await act(async () => {
    events.message(
      { type: "inbox_item_updated", message: "Notification read", timestamp: "2026-12-01T11:01:00Z",
        data: { notificationId: "n-3", seen: true, read: true, archived: false, snoozedUntil: null, unreadCount: 2, unseenCount: 2 } },
      "e2",
    );
  });
  assert.equal(hook().unread, 2);
  assert.equal(hook().items.find((i) => i.id === "n-3")!.readAt, "2026-12-01T11:01:00Z");
  await act(async () => {
    events.message(
      { type: "inbox_all_read", message: "3 notifications marked read", timestamp: "2026-12-01T11:02:00Z",
        data: { onlyCategory: null, markedRead: 3, unreadCount: 0, unseenCount: 0 } },
      "e3",
    );
  });
  assert.equal(hook().unread, 0);
  assert.equal(hook().unseen, 0);
  assert.ok(hook().items.every((i) => i.readAt !== null));
});

test("useInbox drops an item archived on another device and replaces the unread item of a group", async () => {
  const fetchStub = (async (url: string) => {
    if (url.endsWith("/unread-count")) return json({ unread: 2, unseen: 2 });
    return json({ items: [item("t-2", { groupKey: "trades", groupCount: 2 }), item("s-1")], nextCursor: null });
  }) as unknown as typeof fetch;
  const { probe, events } = await mount(fetchStub);
  const hook = () => probe.hook!;
  await act(async () => {
    events.message(
      { type: "inbox_item_added", message: "3 trades", timestamp: "t",
        data: { notificationId: "t-3", title: "3 trades", message: "3 trades", priority: "low", category: "trading",
                createdAt: "2026-12-01T12:00:00Z", groupKey: "trades", groupCount: 3, unreadCount: 2, unseenCount: 2 } },
      "g1",
    );
    events.message(
      { type: "inbox_item_updated", message: "Notification archived", timestamp: "t",
        data: { notificationId: "s-1", seen: false, read: false, archived: true, snoozedUntil: null, unreadCount: 1, unseenCount: 1 } },
      "g2",
    );
  });
  assert.deepEqual(hook().items.map((i) => `${i.id}x${i.groupCount}`), ["t-3x3"]);
  assert.equal(hook().unread, 1);
});
