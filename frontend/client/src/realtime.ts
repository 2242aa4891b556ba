import { parseEvent, type RealtimeEvent, type RealtimeEventType } from "./events.js";

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

  connect(): void {
    this.stopped = false;
    this.open(this.state === "closed" ? "connecting" : "reconnecting");
  }

  /** Drops the connection and opens a new one from the last event received (what a network change does). */
  reconnect(): void {
    this.source?.close();
    this.open("reconnecting");
  }

  close(): void {
    this.stopped = true;
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
        // The browser will not retry (an HTTP error): do it ourselves, from the last event.
        source.close();
        this.setState("reconnecting");
        const delay = (this.options.retryDelayMs ?? ((n) => Math.min(30_000, 1000 * 2 ** n)))(this.attempt++);
        this.timer = setTimeout(() => this.open("reconnecting"), delay);
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
  }

  private setState(state: ConnectionState) {
    if (this.state === state) return;
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }
}
