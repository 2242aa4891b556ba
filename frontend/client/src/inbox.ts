import { Api, type ApiOptions } from "./http.js";
import type { Category, InboxAllRead, InboxItemAdded, InboxItemUpdated } from "./events.js";
import type { components } from "./generated/notification-service.js";

// The REST answers are generated from notification-service's OpenAPI document
// (src/generated/notification-service.ts); the kit narrows the strings the API sends to the categories and
// priorities the AsyncAPI document lists.
type Schemas = components["schemas"];

/**
 * One notification in the user's inbox (`GET /api/v1/notifications`). The API sends every field, null ones
 * as null (`Required`). `groupCount` is how many notifications
 * of its group it stands for (1 without a group); `delivery` is where its delivery stands: held,
 * awaiting_realtime, dispatching, delivered, failed, suppressed.
 */
export type InboxItem = Omit<Required<Schemas["InboxItem"]>, "category" | "priority"> & {
  category: Category;
  priority: "high" | "medium" | "low";
};

/** One page of the feed; pass `nextCursor` as `cursor` for the next page (null on the last one). */
export type InboxPage = Omit<Schemas["Feed"], "items" | "nextCursor"> & { items: InboxItem[]; nextCursor: string | null };

export interface InboxQuery {
  cursor?: string;
  /** 1 to 100; the service's page size (20) when left out. */
  limit?: number;
  unread?: boolean;
  category?: Category;
  archived?: boolean;
}

export type UnreadCount = Schemas["UnreadCount"];

/** What to change on one item; fields left out stay as they are. `snoozedUntil: null` wakes it. */
export type InboxChange = Schemas["ChangeRequest"];

export type MarkedRead = Schemas["MarkedRead"];

const PATH = "/api/v1/notifications";

/** The signed-in user's notification inbox through the gateway. Bad input is a `ProblemError`. */
export class InboxClient {
  readonly api: Api;

  constructor(options: ApiOptions | { api: Api }) {
    this.api = "api" in options ? options.api : new Api(options);
  }

  list(query: InboxQuery = {}): Promise<InboxPage> {
    const params = new URLSearchParams();
    if (query.cursor) params.set("cursor", query.cursor);
    if (query.limit !== undefined) params.set("limit", String(query.limit));
    if (query.unread !== undefined) params.set("unread", String(query.unread));
    if (query.category) params.set("category", query.category);
    if (query.archived !== undefined) params.set("archived", String(query.archived));
    const qs = params.toString();
    return this.api.request<InboxPage>("GET", qs ? `${PATH}?${qs}` : PATH);
  }

  unreadCount(): Promise<UnreadCount> {
    return this.api.request<UnreadCount>("GET", `${PATH}/unread-count`);
  }

  update(id: string, change: InboxChange): Promise<InboxItem> {
    return this.api.request<InboxItem>("PATCH", `${PATH}/${encodeURIComponent(id)}`, change);
  }

  markRead(id: string): Promise<InboxItem> {
    return this.update(id, { read: true });
  }

  archive(id: string): Promise<InboxItem> {
    return this.update(id, { archived: true });
  }

  markAllRead(category?: Category): Promise<MarkedRead> {
    return this.api.request<MarkedRead>("POST", `${PATH}/mark-all-read`, category ? { category } : {});
  }
}

/** The inbox's state on one device: the items shown and the badge. */
export interface InboxState {
  items: InboxItem[];
  unread: number;
  unseen: number;
}

export type InboxEvent = InboxItemAdded | InboxItemUpdated | InboxAllRead;

/**
 * Applies one inbox event from the stream (a change made on this or another device) to the state. The
 * counts come from the event; a new item goes on top (replacing the item of its group), an archived one
 * leaves the list.
 */
export function applyInboxEvent(state: InboxState, event: InboxEvent): InboxState {
  const counts = { unread: event.data.unreadCount, unseen: event.data.unseenCount };
  switch (event.type) {
    case "inbox_item_added": {
      const d = event.data;
      if (state.items.some((i) => i.id === d.notificationId)) return { ...state, ...counts };
      const item: InboxItem = {
        id: d.notificationId,
        category: d.category,
        priority: d.priority,
        title: d.title,
        body: d.message,
        data: {},
        createdAt: d.createdAt,
        seenAt: null,
        readAt: null,
        archivedAt: null,
        snoozedUntil: null,
        groupKey: d.groupKey,
        groupCount: d.groupCount,
        delivery: "dispatching",
      };
      // A grouped item replaces the unread item of its group.
      const rest = d.groupKey
        ? state.items.filter((i) => i.groupKey !== d.groupKey || i.readAt !== null || i.archivedAt !== null)
        : state.items;
      return { items: [item, ...rest], ...counts };
    }
    case "inbox_item_updated": {
      const d = event.data;
      const at = event.timestamp;
      const items = state.items
        .map((i) =>
          i.id !== d.notificationId
            ? i
            : {
                ...i,
                seenAt: d.seen ? (i.seenAt ?? at) : null,
                readAt: d.read ? (i.readAt ?? at) : null,
                archivedAt: d.archived ? (i.archivedAt ?? at) : null,
                snoozedUntil: d.snoozedUntil,
              },
        )
        .filter((i) => i.id !== d.notificationId || (!i.archivedAt && !i.snoozedUntil));
      return { items, ...counts };
    }
    case "inbox_all_read": {
      const only = event.data.onlyCategory;
      const items = state.items.map((i) =>
        i.readAt || (only && i.category !== only) ? i : { ...i, readAt: event.timestamp, seenAt: i.seenAt ?? event.timestamp },
      );
      return { items, ...counts };
    }
  }
}
