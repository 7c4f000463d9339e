// Every answer the service and its handler give, in one table: code → HTTP status and the
// message a person can read (a function when it names something). The service rejects with an
// OtpError carrying the code, `status` and, for limits, `retryAfter` (seconds); the HTTP layer
// turns it into TurkeySMS's envelope with the same status and a Retry-After header.

import { sdkError } from "../sdk.js";
import { DEFAULTS } from "./defaults.js";

export const ANSWERS = {
  // Successes.
  "TS-1024": [200, "A code was sent."],
  VERIFIED: [200, "The code is right."],
  // The request (HTTP layer).
  NOT_FOUND: [404, (paths) => `POST ${paths}`],
  ORIGIN_NOT_ALLOWED: [403, (origin) => `The origin ${origin} may not call this endpoint: add it to allowedOrigins.`],
  METHOD_NOT_ALLOWED: [405, "Use POST."],
  UNSUPPORTED_MEDIA_TYPE: [415, "Send Content-Type: application/json."],
  BODY_TIMEOUT: [408, "The body did not arrive in time."],
  BODY_TOO_LARGE: [413, (max) => `The body may be at most ${max} bytes.`],
  INVALID_JSON: [400, "The body must be a JSON object."],
  TURNSTILE_REQUIRED: [403, "Complete the challenge first."],
  TURNSTILE_FAILED: [403, "The challenge was not passed."],
  // What is asked for.
  UNKNOWN_TEMPLATE: [400, "Custom texts must be one of the templates configured on the server."],
  COUNTRY_NOT_ALLOWED: [403, "Codes cannot be sent to this country."],
  // The limits: each counter names its refusal (service.js).
  COOLDOWN: [429, "A code was just sent to this number; wait before asking again."],
  NUMBER_LIMIT: [429, "Too many requests for this number; try again later."],
  IP_LIMIT: [429, "Too many requests from this address; try again later."],
  GLOBAL_LIMIT: [429, "Too many codes are being sent; try again in a minute."],
  PREFIX_SUSPENDED: [429, "Codes cannot be sent to this number range right now; try again later."],
  // Upstream and the store.
  UNAVAILABLE: [503, "Codes cannot be sent right now; try again later."],
  STORE_UNAVAILABLE: [503, "Codes cannot be sent or checked right now; try again later."],
  VERIFY_UNAVAILABLE: [502, "The code was sent but cannot be checked; ask for a new one later."],
  // The check.
  CODE_INVALID: [400, "The code is not right."],
  CODE_EXPIRED: [400, "The code has expired; ask for a new one."],
  TOO_MANY_ATTEMPTS: [429, "Too many wrong codes; ask for a new one."],
  INTERNAL_ERROR: [500, "The code was right, but signing in failed; ask for a new code."],
  // Delivery: a send's status, and TurkeySMS's webhooks.
  QUEUED: [200, "The SMS is on its way to the operator."],
  SENT: [200, "The SMS was handed to the operator."],
  DELIVERED: [200, "The SMS was delivered."],
  FAILED: [200, "The SMS was not delivered: ask for a new code."],
  EXPIRED: [200, "The SMS could not be delivered in time: ask for a new code."],
  UNKNOWN_ID: [404, "No send has this id."],
  ACCEPTED: [200, "The event was received."],
  SIGNATURE_INVALID: [401, "The signature is missing or wrong."],
  INVALID_EVENT: [400, "The event is not TurkeySMS's JSON."],
  EVENT_STALE: [400, "The event is too old, or its timestamp is too far ahead."],
};

/** The status of `code`: the table's, or 400 for the rules' input errors (INVALID_MOBILE, …). */
export const statusOf = (code) => ANSWERS[code]?.[0] ?? 400;

/** The message of `code`, with `detail` for the ones that name something. */
export function messageOf(code, detail) {
  const message = ANSWERS[code]?.[1];
  return typeof message === "function" ? message(detail) : message;
}

/**
 * The OtpError the service rejects with: `code`, the table's status and message (or `message`,
 * for the rules' own), and `retryAfter` in seconds when given.
 * @param {string} code
 * @param {{ message?: string, retryAfter?: number, detail?: unknown }} [options]
 */
export function refusal(code, { message, retryAfter, detail } = {}) {
  const error = sdkError(code, message ?? messageOf(code, detail));
  error.status = statusOf(code);
  // A limit or an outage passes; a wrong code, a refused number, or a code that went out but
  // cannot be checked (502: asking again sends another SMS) does not.
  error.retryable = error.status === 429 || error.status === 503;
  if (retryAfter !== undefined) error.retryAfter = retryAfter;
  return error;
}

/** The store failed: refuse (fail closed), and say when to try again. */
export const storeUnavailable = () => refusal("STORE_UNAVAILABLE", { retryAfter: DEFAULTS.handler.storeRetryAfterS });

/**
 * A store failure outside a send or a check (a status read, stats()): told to onEvent as the
 * 503 it answers, and that refusal returned to throw.
 */
export function storeFailure(emit, error) {
  emit({
    type: "store-error",
    code: "STORE_UNAVAILABLE",
    status: 503,
    error: String(error?.message ?? error),
    client: null,
    mobile: null,
    ms: 0,
  });
  return storeUnavailable();
}
