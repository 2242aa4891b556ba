import { test } from "node:test";
import assert from "node:assert/strict";
import { RealtimeClient, bearerEventSource } from "../src/index.js";

/** A stream answered chunk by chunk, as a server flushes it; ends when the test closes it. */
function sseResponse() {
  let push!: (text: string) => void;
  let end!: () => void;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (text) => controller.enqueue(new TextEncoder().encode(text));
      end = () => controller.close();
    },
  });
  return { response: new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } }), push: (t: string) => push(t), end: () => end() };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check());
};

test("the bearer stream sends the token, parses events split across chunks, and resumes from the last id after a drop", async () => {
  const requests: { url: string; authorization: string }[] = [];
  const streams: ReturnType<typeof sseResponse>[] = [];
  const fetchStub = (async (url: string, init: RequestInit) => {
    requests.push({ url, authorization: (init.headers as Record<string, string>).Authorization! });
    const stream = sseResponse();
    streams.push(stream);
    return stream.response;
  }) as unknown as typeof fetch;
  const client = new RealtimeClient({ url: "https://api.example/api/events/stream", eventSource: bearerEventSource(() => "jwt-1", fetchStub), retryDelayMs: () => 0 });
  const seen: string[] = [];
  client.on("*", (event) => seen.push(`${event.id ?? "-"}:${event.message}`));
  client.connect();
  await until(() => streams.length === 1);
  streams[0]!.push(': keep-alive\n\ndata: {"type":"connection_established","message":"hi","data":{},"timestamp":"t"}\n\n');
  streams[0]!.push('id: e1\ndata: {"type":"feature_announcement","message":"one",');
  streams[0]!.push('"data":{},"timestamp":"t"}\n\n');
  await until(() => seen.length === 2);
  assert.equal(client.state, "open");
  streams[0]!.end();
  await until(() => streams.length === 2);
  assert.equal(requests[1]!.url, "https://api.example/api/events/stream?lastEventId=e1");
  assert.equal(requests[1]!.authorization, "Bearer jwt-1");
  streams[1]!.push('id: e1\ndata: {"type":"feature_announcement","message":"one","data":{},"timestamp":"t"}\n\nid: e2\ndata: {"type":"feature_announcement","message":"two","data":{},"timestamp":"t"}\n\n');
  await until(() => seen.length === 3);
  assert.deepEqual(seen, ["-:hi", "e1:one", "e2:two"]);
  client.close();
});

test("a refused stream is reported closed and opened again", async () => {
  let calls = 0;
  const fetchStub = (async () => (++calls === 1 ? new Response(null, { status: 503 }) : sseResponse().response)) as unknown as typeof fetch;
  const client = new RealtimeClient({ url: "/s", eventSource: bearerEventSource(() => "jwt", fetchStub), retryDelayMs: () => 0 });
  const states: string[] = [];
  client.onState((s) => states.push(s));
  client.connect();
  await until(() => client.state === "open");
  assert.deepEqual(states, ["connecting", "reconnecting", "open"]);
  assert.equal(calls, 2);
  client.close();
});
