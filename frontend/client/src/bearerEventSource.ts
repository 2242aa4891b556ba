import type { EventSourceFactory, EventSourceLike } from "./realtime.js";

/**
 * An EventSource over fetch that sends the bearer token: for a frontend on another site than the
 * gateway, where the gateway's `SameSite=Strict` session cookie is not sent. The SSE format is parsed as
 * the browser does (`data`, `id`, multi-line data, comments); when the stream ends or fails it reports
 * itself closed, and {@link RealtimeClient} opens a new one from the last event id.
 *
 * ```ts
 * const client = new UpgradeClient({ baseUrl, token, eventSource: bearerEventSource(token) });
 * ```
 */
export function bearerEventSource(token: () => string | Promise<string>, fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init)): EventSourceFactory {
  return (url) => new BearerEventSource(url, token, fetchImpl);
}

class BearerEventSource implements EventSourceLike {
  readyState = 0;
  onopen: EventSourceLike["onopen"] = null;
  onmessage: EventSourceLike["onmessage"] = null;
  onerror: EventSourceLike["onerror"] = null;
  private readonly abort = new AbortController();

  constructor(
    readonly url: string,
    token: () => string | Promise<string>,
    private readonly fetchImpl: typeof fetch,
  ) {
    void this.run(token);
  }

  close(): void {
    this.readyState = 2;
    this.abort.abort();
  }

  private async run(token: () => string | Promise<string>) {
    try {
      const response = await this.fetchImpl(this.url, {
        headers: { Accept: "text/event-stream", "Cache-Control": "no-cache", Authorization: `Bearer ${await token()}` },
        signal: this.abort.signal,
      });
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      if (this.readyState === 2) return;
      this.readyState = 1;
      this.onopen?.call(this, new Event("open"));
      await this.read(response.body);
    } catch {
      // fall through: reported as closed below
    }
    if (this.abort.signal.aborted) return;
    this.readyState = 2;
    this.onerror?.call(this, new Event("error"));
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let data: string[] = [];
    let lastEventId = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "") {
          if (data.length > 0) {
            this.onmessage?.call(this, { data: data.join("\n"), lastEventId } as MessageEvent);
          }
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "data") data.push(text);
        else if (field === "id" && !text.includes("\0")) lastEventId = text;
      }
    }
  }
}
