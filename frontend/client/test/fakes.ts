import type { EventSourceLike } from "../src/realtime.js";

/** An EventSource the test drives: opened URLs are recorded, messages and errors are pushed in. */
export class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  readyState = 0;
  onopen: EventSourceLike["onopen"] = null;
  onmessage: EventSourceLike["onmessage"] = null;
  onerror: EventSourceLike["onerror"] = null;
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  open() {
    this.readyState = 1;
    this.onopen?.call(this, new Event("open"));
  }

  message(data: unknown, lastEventId = "") {
    this.onmessage?.call(this, { data: JSON.stringify(data), lastEventId } as MessageEvent);
  }

  fail(permanently: boolean) {
    this.readyState = permanently ? 2 : 0;
    this.onerror?.call(this, new Event("error"));
  }

  close() {
    this.closed = true;
    this.readyState = 2;
  }
}

export const factory = (url: string) => new FakeEventSource(url);

export function step(upgradeId: string, status: string, progress: number, id: string) {
  return [{ type: "nft_upgrade_status", upgradeId, status, progress, message: status, data: {}, timestamp: "t" }, id] as const;
}
