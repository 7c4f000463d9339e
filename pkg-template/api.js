// The package's public API, defined once: every runtime's entry re-exports this module after
// configuring the wasm instance for its runtime (instance.js).
import { callAsync, callSync, handlerModule, OtpError, otpError, ready } from "./instance.js";

export { OtpError, ready };

/** True when `value` is one of the package's errors (a type guard in TypeScript). */
export const isOtpError = (value) => value instanceof OtpError;

export const sendOtp = (options) => callAsync("sendOtp", [options]);
export const sendCustomOtp = (options) => callAsync("sendCustomOtp", [options]);
export const verifyOtp = (options) => callAsync("verifyOtp", [options]);
export const normalizeMobile = (input) => callSync("normalizeMobile", [input]);
export const normalizeCode = (input) => callSync("normalizeCode", [input]);
export const validateOptions = (options, kind) => callSync("validateOptions", [options, kind]);
export const estimateSegments = (text, digits) => callSync("estimateSegments", [text, digits]);

/** The functions the edge handler builds on, and the defaults it shares with the rules. */
const sdk = {
  sendOtp,
  sendCustomOtp,
  normalizeMobile,
  normalizeCode,
  validateOptions,
  defaults: () => JSON.parse(callSync("defaults", [])),
  error: (code, message, field) => Object.assign(otpError(code, message), { field }),
};

/** A fetch-API handler that keeps the key server-side (see the README). */
export function createOtpHandler(config) {
  const h = handlerModule();
  if (!(h instanceof Promise)) return h.createHandler(config, sdk);
  let handle;
  return async (request) => {
    handle ??= (await h).createHandler(config, sdk);
    return handle(request);
  };
}

/** For the application's backend: the claims of a token /otp/verify answered with (see the README). */
export async function verifyOtpToken(token, options) {
  return (await handlerModule()).verifyToken(token, options, sdk);
}

// For the package's own tests; not part of the API, not typed.
export { internals as __internals } from "./instance.js";
// The handler's stores (the interface is described in store-memory.js).
export { durableObjectStore, OtpStore } from "./store-durable-object.js";
export { memoryStore } from "./store-memory.js";
export { redisStore } from "./store-redis.js";
