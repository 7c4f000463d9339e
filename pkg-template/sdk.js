// What the server side (server/, stores/, adapters/) uses of the package: the page API's own
// functions, so that a page and a server apply the same Rust rules. Not re-exported by any entry.
import { normalizeCode, normalizeMobile, sendCustomOtp, sendOtp, validateOptions } from "./api.js";
import { otpError, reframed } from "./instance.js";

export { normalizeCode, normalizeMobile, reframed, sendCustomOtp, sendOtp, validateOptions };

/**
 * An OtpError with `field` (a configuration or input mistake).
 * @param {string} code
 * @param {string} message
 * @param {string} [field]
 * @returns {import("./index.d.ts").OtpError}
 */
export const sdkError = (code, message, field) =>
  /** @type {import("./index.d.ts").OtpError} */ (Object.assign(otpError(code, message), { field }));
