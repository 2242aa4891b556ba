import { useCallback, useEffect, useRef, useState } from "react";
import type { Category } from "./events.js";
import { applyInboxEvent, type InboxClient, type InboxQuery, type InboxState } from "./inbox.js";
import type { RealtimeClient } from "./realtime.js";

export interface UseInboxOptions {
  client: InboxClient;
  /** The user's stream: inbox events from every device of the user keep the list and the badge current. */
  stream?: RealtimeClient;
  /** Filters of the list (the badge always counts the whole inbox). */
  query?: Omit<InboxQuery, "cursor">;
}

export interface UseInbox extends InboxState {
  loading: boolean;
  error: Error | null;
  hasMore: boolean;
  loadMore: () => Promise<void>;
  refresh: () => Promise<void>;
  markRead: (id: string) => Promise<void>;
  markUnread: (id: string) => Promise<void>;
  archive: (id: string) => Promise<void>;
  snooze: (id: string, until: Date) => Promise<void>;
  markAllRead: (category?: Category) => Promise<void>;
}

/**
 * The inbox as a React hook: the first page and the unread badge over HTTP, then kept current by the
 * stream's inbox events (a read on another device clears the badge here). Changes go through the API;
 * the service's event confirms them on every device, this one included.
 */
export function useInbox({ client, stream, query }: UseInboxOptions): UseInbox {
  const [state, setState] = useState<InboxState>({ items: [], unread: 0, unseen: 0 });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const cursor = useRef<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const queryKey = JSON.stringify(query ?? {});

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      const [page, counts] = await Promise.all([client.list({ ...(query ?? {}) }), client.unreadCount()]);
      cursor.current = page.nextCursor;
      setHasMore(page.nextCursor !== null);
      setState({ items: page.items, unread: counts.unread, unseen: counts.unseen });
      setError(null);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, queryKey]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (!stream) return;
    const offs = (["inbox_item_added", "inbox_item_updated", "inbox_all_read"] as const).map((type) =>
      stream.on(type, (event) => setState((s) => applyInboxEvent(s, event))),
    );
    return () => offs.forEach((off) => off());
  }, [stream]);

  const loadMore = useCallback(async () => {
    if (!cursor.current) return;
    try {
      const page = await client.list({ ...(query ?? {}), cursor: cursor.current });
      cursor.current = page.nextCursor;
      setHasMore(page.nextCursor !== null);
      setState((s) => ({ ...s, items: [...s.items, ...page.items.filter((i) => !s.items.some((o) => o.id === i.id))] }));
    } catch (e) {
      setError(e as Error);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, queryKey]);

  const act = useCallback(
    async (work: () => Promise<unknown>) => {
      try {
        await work();
        setError(null);
        if (!stream) await refresh();
      } catch (e) {
        setError(e as Error);
      }
    },
    [stream, refresh],
  );

  return {
    ...state,
    loading,
    error,
    hasMore,
    loadMore,
    refresh,
    markRead: (id) => act(() => client.markRead(id)),
    markUnread: (id) => act(() => client.update(id, { read: false })),
    archive: (id) => act(() => client.archive(id)),
    snooze: (id, until) => act(() => client.update(id, { snoozedUntil: until.toISOString() })),
    markAllRead: (category) => act(() => client.markAllRead(category)),
  };
}
