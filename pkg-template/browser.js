// Browsers, Web Workers and bundlers (Vite, webpack, esbuild, Rollup): the page API only, so a
// page carries no server code (the handler, the stores and jose stay out of its bundle). The
// .wasm is fetched on first use from `new URL(..., import.meta.url)`, which bundlers understand;
// there is no top-level await. sendOtp and sendCustomOtp wait for it themselves; the synchronous
// helpers need `await ready()` once first.
import * as glue from "./glue.js";
import { configure } from "./instance.js";

const WASM_URL = new URL("./turkeysms_otp.wasm", import.meta.url);

async function loadModule() {
  const response = await fetch(WASM_URL);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch (error) {
    // A server that sends the wrong Content-Type: compile from the bytes instead.
    if (!(error instanceof TypeError)) throw error;
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

configure({ glue, loadModule, source: String(WASM_URL) });

export * from "./api.js";
