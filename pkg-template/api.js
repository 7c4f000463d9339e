// The package's public API, defined once: every runtime's entry re-exports this module after
// configuring the wasm instance for its runtime (instance.js).
import { callAsync, callSync, handlerModule, OtpError, otpError, ready, reframed } from "./instance.js";

export { OtpError, ready };

/** True when `value` is one of the package's errors (a type guard in TypeScript). */
export const isOtpError = (value) => value instanceof OtpError;

export const sendOtp = (options) => callAsync("sendOtp", [options]);
export const sendCustomOtp = (options) => callAsync("sendCustomOtp", [options]);
export const verifyOtp = (options) => callAsync("verifyOtp", [options]);
// The synchronous helpers pass themselves, so that an error's stack starts at their caller.
export function normalizeMobile(input) {
  return callSync("normalizeMobile", [input], normalizeMobile);
}
export function normalizeCode(input) {
  return callSync("normalizeCode", [input], normalizeCode);
}
export function validateOptions(options, kind) {
  return callSync("validateOptions", [options, kind], validateOptions);
}
export function estimateSegments(text, digits) {
  return callSync("estimateSegments", [text, digits], estimateSegments);
}

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
  if (!(h instanceof Promise)) {
    try {
      return h.createHandler(config, sdk);
    } catch (error) {
      throw reframed(error, createOtpHandler); // INVALID_CONFIG: the stack starts at the caller
    }
  }
  let handle;
  return async (request) => {
    handle ??= (await h).createHandler(config, sdk);
    return handle(request);
  };
}

/** For the application's backend: the claims of a token /otp/verify answered with (see the README). */
export async function verifyOtpToken(token, options) {
  try {
    return await (await handlerModule()).verifyToken(token, options, sdk);
  } catch (error) {
    throw reframed(error, verifyOtpToken);
  }
}

// For the package's own tests; not part of the API, not typed.
export { internals as __internals } from "./instance.js";
// The handler's stores (the interface is described in store-memory.js).
export { durableObjectStore, OtpStore } from "./store-durable-object.js";
export { memoryStore } from "./store-memory.js";
export { redisStore } from "./store-redis.js";
