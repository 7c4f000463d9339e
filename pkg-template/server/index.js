// The server's public names, for the entries of runtimes that run servers (Node, Bun, Deno,
// workerd; not browsers). A mistake in a configuration throws from the caller's own line.
import { reframed } from "../sdk.js";
import { createHandler } from "./http/handler.js";
import { createService } from "./service.js";
import { verifyToken } from "./token.js";

export { durableObjectStore, OtpStore } from "../stores/durable-object.js";
export { memoryStore } from "../stores/memory.js";
export { redisStore } from "../stores/redis.js";
export { otelMetrics } from "./metrics.js";

/**
 * The OTP service with no HTTP in it (see the README).
 * @type {typeof import("../index.d.ts").createOtpService}
 */
export function createOtpService(config) {
  try {
    return createService(config);
  } catch (error) {
    throw reframed(error, createOtpService); // INVALID_CONFIG: the stack starts at the caller
  }
}

/**
 * A fetch-API handler over the service that keeps the key server-side (see the README).
 * @type {typeof import("../index.d.ts").createOtpHandler}
 */
export function createOtpHandler(config) {
  try {
    return createHandler(config);
  } catch (error) {
    throw reframed(error, createOtpHandler);
  }
}

/**
 * For the application's backend: the claims of a token /otp/verify answered with (see the README).
 * @type {typeof import("../index.d.ts").verifyOtpToken}
 */
export async function verifyOtpToken(token, options) {
  try {
    return await verifyToken(token, options);
  } catch (error) {
    throw reframed(error, verifyOtpToken);
  }
}

// For the package's own tests; not part of the API, not typed: every default, the server's too.
export { DEFAULTS as __defaults } from "./defaults.js";
// For the package's own tests (tests/js/options.test.mjs); not part of the API, not typed.
export { OPTIONS as __options, VERIFY_OPTIONS as __verifyOptions } from "./options.js";
