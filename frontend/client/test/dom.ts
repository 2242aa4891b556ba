// A browser document for component tests: jsdom's window globals, set before React DOM and Testing
// Library load (import this module first).
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { url: "http://localhost/", pretendToBeVisual: true });
const globals = globalThis as unknown as Record<string, unknown>;
for (const key of Object.getOwnPropertyNames(dom.window)) {
  if (key in globals) continue;
  globals[key] = (dom.window as unknown as Record<string, unknown>)[key];
}
globals.window = dom.window;
globals.document = dom.window.document;
globals.IS_REACT_ACT_ENVIRONMENT = true;
