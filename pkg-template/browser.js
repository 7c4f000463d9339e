// Browsers, Web Workers and bundlers (Vite, webpack, esbuild, Rollup). The .wasm is fetched on
// first use from `new URL(..., import.meta.url)`, which bundlers understand; there is no
// top-level await. sendOtp and sendCustomOtp wait for it themselves; the synchronous helpers
// need `await ready()` once first.
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

// The handler is fetched only by code that uses it (bundlers split it into its own chunk).
configure({ glue, loadModule, loadHandler: () => import("./handler.js"), source: String(WASM_URL) });

export * from "./api.js";
