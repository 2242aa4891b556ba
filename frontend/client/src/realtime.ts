import { parseEvent, type RealtimeEvent, type RealtimeEventType, type SessionEndReason } from "./events.js";
import type { Api } from "./http.js";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

/** The subset of the browser's EventSource used here (so tests and other runtimes can supply one). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null;
  onmessage: ((this: EventSourceLike, ev: MessageEvent) => unknown) | null;
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null;
  close(): void;
}

export type EventSourceFactory = (url: string, init: { withCredentials: boolean }) => EventSourceLike;

export interface RealtimeOptions {
  /** The stream's URL, e.g. "/api/events/stream" (through the gateway, with the session cookie). */
  url: string;
  eventSource?: EventSourceFactory;
  /** Back-off when the browser gave up reconnecting by itself (e.g. after a 5xx): 1 s doubling to 30 s. */
  retryDelayMs?: (attempt: number) => number;
  /**
   * The sign-in the stream belongs to: {@link Api.closeSession} closes it, and its refresh hook
   * ({@link Api.refreshSession}, from `ApiOptions.refreshToken`) renews the session unless `refreshSession` is given.
   */
  session?: Api;
  /**
   * The refresh hook: renew the session (a new token, and the cookie set with it). Called when the stream
   * ended with `session_expired`, and when a reconnection was refused (EventSource gives up on an HTTP error,
   * which is how a 401 shows); then the stream resumes with its Last-Event-ID, losing nothing.
   */
  refreshSession?: () => Promise<void>;
  /**
   * The stream ended with its sign-in and will not resume: `logged_out`, or `session_expired` when there is no
   * refresh hook or it failed.
   */
  onSessionEnd?: (reason: SessionEndReason) => void;
}

type Listener = (event: RealtimeEvent) => void;

const CLOSED = 2;

/**
 * The user's stream: typed events of every category, the connection state, and resumption. The
 * browser's EventSource reconnects by itself and sends Last-Event-ID; when it gives up, a new one is
 * opened with ?lastEventId= so nothing is missed. Events seen twice (same id) are delivered once.
 */
export class RealtimeClient {
  private source: EventSourceLike | undefined;
  private lastEventId: string | undefined;
  private readonly seen = new Set<string>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private untrack: (() => void) | undefined;
  state: ConnectionState = "closed";

  constructor(private readonly options: RealtimeOptions) {}

  /** Listens to one event type, or to every event with "*". Returns the unsubscribe function. */
  on<T extends RealtimeEventType>(type: T | "*", listener: (event: Extract<RealtimeEvent, { type: T }>) => void) {
    const set = this.listeners.get(type) ?? new Set<Listener>();
    set.add(listener as Listener);
    this.listeners.set(type, set);
    return () => set.delete(listener as Listener);
  }

  onState(listener: (state: ConnectionState) => void) {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  get resumeFrom(): string | undefined {
    return this.lastEventId;
  }

  /** Opens the stream; on a client whose stream is open (or reconnecting) already it does nothing: one stream per client. */
  connect(): void {
    if (this.source && !this.stopped) return;
    this.stopped = false;
    this.untrack ??= this.options.session?.track(this);
    this.open(this.state === "closed" ? "connecting" : "reconnecting");
  }

  /** Drops the connection and opens a new one from the last event received (what a network change does). */
  reconnect(): void {
    this.source?.close();
    this.open("reconnecting");
  }

  close(): void {
    this.stopped = true;
    this.untrack?.();
    this.untrack = undefined;
    clearTimeout(this.timer);
    this.source?.close();
    this.source = undefined;
    this.setState("closed");
  }

  private open(state: ConnectionState) {
    this.setState(state);
    const factory: EventSourceFactory =
      this.options.eventSource ??
      ((url, init) => new (globalThis as unknown as { EventSource: new (u: string, i: object) => EventSourceLike }).EventSource(url, init));
    const url = this.lastEventId
      ? `${this.options.url}${this.options.url.includes("?") ? "&" : "?"}lastEventId=${encodeURIComponent(this.lastEventId)}`
      : this.options.url;
    const source = factory(url, { withCredentials: true });
    this.source = source;
    source.onopen = () => {
      this.attempt = 0;
      this.setState("open");
    };
    source.onmessage = (message: MessageEvent) => this.receive(message);
    source.onerror = () => {
      if (this.stopped || this.source !== source) return;
      if (source.readyState === CLOSED) {
        // The browser will not retry (an HTTP error, such as the 401 of an expired or refused token): do
        // it ourselves, from the last event, renewing the session first on the first refusal in a row.
        source.close();
        this.setState("reconnecting");
        const attempt = this.attempt++;
        const delay = (this.options.retryDelayMs ?? ((n) => Math.min(30_000, 1000 * 2 ** n)))(attempt);
        const refresh = attempt === 0 ? this.refresher() : undefined;
        this.timer = setTimeout(() => {
          if (!refresh) {
            this.open("reconnecting");
            return;
          }
          refresh().then(
            () => {
              if (!this.stopped) this.open("reconnecting");
            },
            () => this.endSession("session_expired"),
          );
        }, delay);
      } else {
        this.setState("reconnecting");
      }
    };
  }

  private receive(message: MessageEvent) {
    const id = message.lastEventId || undefined;
    if (id) {
      if (this.seen.has(id)) return;
      this.seen.add(id);
      if (this.seen.size > 2000) this.seen.delete(this.seen.values().next().value as string);
      this.lastEventId = id;
    }
    const event = parseEvent(String(message.data), id);
    if (!event) return;
    for (const key of [event.type, "*"]) {
      this.listeners.get(key)?.forEach((listener) => listener(event));
    }
    if (event.type === "session_expired") this.renew();
    else if (event.type === "logged_out") this.endSession("logged_out");
    // Newer streams of the user replaced this one: reconnecting would end the next oldest (ADR 0041).
    else if (event.type === "stream_evicted") this.close();
  }

  /** The session's refresh hook, if there is one. */
  private refresher(): (() => Promise<void>) | undefined {
    if (this.options.refreshSession) return this.options.refreshSession;
    const session = this.options.session;
    return session?.canRefresh ? () => session.refreshSession() : undefined;
  }

  /** The token expired: renew the session, then resume from the last event. */
  private renew() {
    const refresh = this.refresher();
    if (!refresh) {
      this.endSession("session_expired");
      return;
    }
    const ended = this.source;
    ended?.close();
    this.setState("reconnecting");
    refresh().then(
      () => {
        if (!this.stopped && this.source === ended) this.open("reconnecting");
      },
      () => this.endSession("session_expired"),
    );
  }

  private endSession(reason: SessionEndReason) {
    if (this.stopped) return;
    this.close();
    this.options.onSessionEnd?.(reason);
  }

  private setState(state: ConnectionState) {
    if (this.state === state) return;
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }
}
