// Browsers, Web Workers and bundlers (Vite, webpack, esbuild, Rollup). The .wasm is fetched on
// first use from `new URL(..., import.meta.url)`, which bundlers understand; there is no
// top-level await. sendOtp and sendCustomOtp wait for it themselves; the synchronous helpers
// need `await ready()` once first.
import * as glue from "./turkeysms_otp_bg.js";

// The handler is fetched only by code that uses it (bundlers split it into its own chunk).
const handlerModule = () => import("./handler.js");

const WASM_URL = new URL("./turkeysms_otp.wasm", import.meta.url);
let loading;
let loaded = false;

async function load() {
  const imports = { "./turkeysms_otp_bg.js": glue };
  const response = await fetch(WASM_URL);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  let instance;
  try {
    ({ instance } = await WebAssembly.instantiateStreaming(response.clone(), imports));
  } catch (error) {
    // A server that sends the wrong Content-Type: compile from the bytes instead.
    if (!(error instanceof TypeError)) throw error;
    ({ instance } = await WebAssembly.instantiate(await response.arrayBuffer(), imports));
  }
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  loaded = true;
}

function otpError(code, message) {
  const error = new Error(message);
  error.name = "OtpError";
  error.code = code;
  error.retryable = code === "NOT_READY";
  error.attempts = 0;
  return error;
}

/** Loads the wasm once; safe to call any number of times, and again after a failure. */
export function ready() {
  loading ??= load().catch((cause) => {
    loading = undefined;
    throw otpError("NOT_READY", `Could not load turkeysms_otp.wasm from ${WASM_URL} (${cause?.message ?? cause}): make sure your server or bundler serves the package's .wasm file.`);
  });
  return loading;
}

function loadedFor(name) {
  if (!loaded) throw otpError("NOT_READY", `${name}() was called before the wasm loaded: call \`await ready()\` once first.`);
}

export async function sendOtp(options) {
  await ready();
  return glue.sendOtp(options);
}

export async function sendCustomOtp(options) {
  await ready();
  return glue.sendCustomOtp(options);
}

export function normalizeMobile(input) {
  loadedFor("normalizeMobile");
  return glue.normalizeMobile(input);
}

export function validateOptions(options, kind) {
  loadedFor("validateOptions");
  return glue.validateOptions(options, kind);
}

export function estimateSegments(text, digits) {
  loadedFor("estimateSegments");
  return glue.estimateSegments(text, digits);
}

/** A fetch-API handler (e.g. for a service worker); loads the wasm and itself on its first request. */
export function createOtpHandler(config) {
  let handle;
  return async (request) => {
    await ready();
    handle ??= (await handlerModule()).createHandler(config, glue);
    return handle(request);
  };
}

/** A store whose implementation is loaded on its first use (its one method is async anyway). */
function lazyStore(make) {
  let store;
  return {
    async hit(key, windowMs) {
      store ??= make(await handlerModule());
      return store.hit(key, windowMs);
    },
  };
}

export const memoryLimiterStore = () => lazyStore((m) => m.memoryLimiterStore());
export const rateLimitBindingStore = (binding) => lazyStore((m) => m.rateLimitBindingStore(binding));
