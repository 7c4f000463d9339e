// Browsers and bundlers: the wasm is fetched on first use (no top-level await). sendOtp and
// sendCustomOtp wait for it themselves; the synchronous helpers need `await ready()` once first.
import init, * as glue from "./web.js";

let loading;
let loaded = false;

/** Loads the wasm once; safe to call any number of times. */
export function ready() {
  loading ??= init().then(
    () => {
      loaded = true;
    },
    (error) => {
      loading = undefined; // let a later call try again
      throw error;
    },
  );
  return loading;
}

function notReady(name) {
  const error = new Error(`${name}() was called before the wasm loaded: call \`await ready()\` once first.`);
  error.name = "OtpError";
  error.code = "NOT_READY";
  error.retryable = true;
  error.attempts = 0;
  return error;
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
  if (!loaded) throw notReady("normalizeMobile");
  return glue.normalizeMobile(input);
}

export function validateOptions(options, kind) {
  if (!loaded) throw notReady("validateOptions");
  return glue.validateOptions(options, kind);
}

export function estimateSegments(text, digits) {
  if (!loaded) throw notReady("estimateSegments");
  return glue.estimateSegments(text, digits);
}
