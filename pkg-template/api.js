// The page API, defined once: what a page, a Worker or a server calls to send and check codes
// through TurkeySMS or through a handler. Every runtime's entry re-exports this module after
// configuring the wasm instance for its runtime (instance.js); the server's names (server/) are
// added by the entries of runtimes that run servers, never by browser.js, so a page carries no
// server code.
import { callAsync, callSync, OtpError, ready } from "./instance.js";

export { OtpError, ready };

/** True when `value` is one of the package's errors (a type guard in TypeScript). */
export const isOtpError = (value) => value instanceof OtpError;

/** @type {typeof import("./index.d.ts").sendOtp} */
export const sendOtp = (options) => callAsync("call", [0, options]);
/** @type {typeof import("./index.d.ts").sendCustomOtp} */
export const sendCustomOtp = (options) => callAsync("call", [1, options]);
/** @type {typeof import("./index.d.ts").verifyOtp} */
export const verifyOtp = (options) => callAsync("call", [2, options]);
/** @type {typeof import("./index.d.ts").getOtpStatus} */
export const getOtpStatus = (options) => callAsync("call", [3, options]);
// The synchronous helpers pass themselves, so that an error's stack starts at their caller.
/** @type {typeof import("./index.d.ts").normalizeMobile} */
export function normalizeMobile(input) {
  return callSync("normalizeMobile", [input], normalizeMobile);
}
/** @type {typeof import("./index.d.ts").normalizeCode} */
export function normalizeCode(input) {
  return callSync("normalizeCode", [input], normalizeCode);
}
/** @type {typeof import("./index.d.ts").validateOptions} */
export function validateOptions(options, kind) {
  return callSync("validateOptions", [options, kind], validateOptions);
}
/** @type {typeof import("./index.d.ts").estimateSegments} */
export function estimateSegments(text, digits) {
  return callSync("estimateSegments", [text, digits], estimateSegments);
}

// For the package's own tests; not part of the API, not typed.
export { internals as __internals } from "./instance.js";
