// turkeysms-otp/better-auth: better-auth's phone-number plugin over createOtpService.
//
//   phoneNumber({ ...turkeysmsPhoneNumber(service), signUpOnVerification: { getTempEmail } }),
//   turkeysmsPhoneNumberForm(),
//
// turkeysmsPhoneNumber(service, options) is the options object of `phoneNumber()`:
//   sendOTP, sendPasswordResetOTP   service.send: TurkeySMS makes the code; better-auth's own
//                                   code (the `code` it passes) is never sent, nor accepted.
//   verifyOTP                       service.check: true, or an APIError with the service's code,
//                                   status and message (a wrong code 400, a limit 429 with the
//                                   wait and Retry-After, an outage 503).
//   phoneNumberValidator            the Rust rules, and the one stored form: "+905321234567".
// turkeysmsPhoneNumberForm() is a plugin of its own: better-auth has no option that rewrites a
// number, so a `before` hook (better-auth's documented way to change a request's body) rewrites
// `phoneNumber` to that form before the phone-number endpoints run, whatever the person typed
// ("0532 123 45 67", "+90 532 123 4567"). Without it, only the stored form passes (the validator
// and verifyOTP refuse every other spelling with 400 INVALID_PHONE_NUMBER): a number typed another
// way must never become a second user. Normalize on the client (`"+" + normalizeMobile(typed)`)
// then.
//
// Password reset: /phone-number/request-password-reset sends through sendPasswordResetOTP (only
// when the number has a user) and /phone-number/reset-password checks the code through verifyOTP
// from better-auth 1.7.8 on. Before 1.7.8 reset-password ignored a custom verifyOTP
// (better-auth issue #10697) and compared the code with its own, never sent: no reset could
// succeed with the SMS's code; hence the peer range ^1.7.8. With a custom verifier, reset-password
// accepts any live code of the number, one sent for signing in too: the same proof, that the
// person holds the phone, that signing in with it is.
//
// The per-IP limits count the address `trustProxy` names (policy.js's clientAddress), read from
// the request's headers; with "none" (the default) none is read and only the per-number and
// global limits apply. better-auth's `advanced.backgroundTasks` would run sendOTP after the
// answer: its refusals (a cooldown, an outage) then reach the log, not the person.
//
// Built into turkeysms-otp/better-auth.js and .cjs (scripts/build-pkg.mjs) with better-auth and
// turkeysms-otp itself external: normalizeMobile is the application's own instance of the
// package, so no second copy of the wasm is loaded.

import { APIError, createAuthMiddleware } from "better-auth/api";
import { normalizeMobile, OtpError, ready } from "turkeysms-otp";
import { clientAddress } from "../server/policy.js";

const TRUST = ["none", "cloudflare", "x-forwarded-for"];
/** The paths of the phone-number plugin whose body carries `phoneNumber`. */
const PATHS = new Set([
  "/phone-number/send-otp",
  "/phone-number/verify",
  "/sign-in/phone-number",
  "/phone-number/request-password-reset",
  "/phone-number/reset-password",
]);
/** The service's statuses are answers.js's; these are the names better-auth's APIError takes. */
const STATUS = {
  400: "BAD_REQUEST",
  403: "FORBIDDEN",
  429: "TOO_MANY_REQUESTS",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
};

/** The package's error class, which its types keep users from constructing. */
const PackageError = /** @type {new (message: string) => import("../index.d.ts").OtpError} */ (
  /** @type {unknown} */ (OtpError)
);

/** A mistake in the adapter's configuration, as the package reports them (INVALID_CONFIG). */
function invalidConfig(field, message) {
  const error = new PackageError(`turkeysmsPhoneNumber: ${message}`);
  return Object.assign(error, { code: "INVALID_CONFIG", retryable: false, attempts: 0, field });
}

/** The stored form of `typed` ("+905321234567"), or null when the Rust rules refuse it. */
async function storedForm(typed) {
  if (typeof typed !== "string") return null;
  await ready();
  try {
    return `+${normalizeMobile(typed)}`;
  } catch (error) {
    if (error?.code === "INVALID_MOBILE") return null;
    throw error;
  }
}

/**
 * A refusal of the service as better-auth's APIError: the service's code, message and status
 * (answers.js), and for a limit the wait, in the message, as `retryAfter` and as Retry-After.
 * Anything else is not an answer for the person and goes on as it is, for better-auth to answer
 * 500 and log: a configuration mistake (INVALID_CONFIG: a service without `verify`), a bug.
 */
function apiErrorOf(error) {
  if (error?.name !== "OtpError" || error.code === "INVALID_CONFIG") return error;
  const status = error.status ?? 400;
  const wait = Number.isFinite(error.retryAfter) ? Math.max(1, Math.ceil(error.retryAfter)) : undefined;
  const message =
    wait === undefined ? error.message : `${error.message} Try again in ${wait} second${wait === 1 ? "" : "s"}.`;
  return new APIError(
    STATUS[status] ?? status,
    { code: error.code, message, ...(wait !== undefined && { retryAfter: wait }) },
    wait === undefined ? {} : { "Retry-After": String(wait) },
  );
}

/** The number was not sent in the stored form: refused, so it never becomes a user of its own. */
function notStoredForm(stored) {
  return new APIError("BAD_REQUEST", {
    code: "INVALID_PHONE_NUMBER",
    message: stored
      ? `Send the number as ${stored}: add turkeysmsPhoneNumberForm() to better-auth's plugins, or normalize it on the client.`
      : "Invalid phone number",
  });
}

/**
 * The options of better-auth's `phoneNumber()` plugin, over `service` (createOtpService with
 * `verify`).
 * @param {import("../index.d.ts").OtpService} service
 * @param {{ trustProxy?: "none" | "cloudflare" | "x-forwarded-for", proxyHops?: number }} [options]
 */
export function turkeysmsPhoneNumber(service, options = {}) {
  if (typeof service?.send !== "function" || typeof service?.check !== "function") {
    throw invalidConfig("service", "pass the service createOtpService({ apiKey, verify: { secret } }) made.");
  }
  if (typeof options !== "object" || options === null) throw invalidConfig("options", "options must be an object.");
  const { trustProxy = "none", proxyHops = 1 } = options;
  if (!TRUST.includes(trustProxy)) throw invalidConfig("trustProxy", `trustProxy must be one of ${TRUST.join(", ")}.`);
  if (!Number.isInteger(proxyHops) || proxyHops < 1) {
    throw invalidConfig("proxyHops", "proxyHops must be a whole number of at least 1.");
  }

  /** The client's address for the per-IP limits, as the HTTP handler reads it (handler.js). */
  const clientIpOf = (ctx) => {
    const headers = ctx?.headers ?? ctx?.request?.headers ?? new Headers();
    const address = clientAddress(headers, trustProxy, proxyHops);
    // Trusted but missing or unreadable: one shared bucket ("" is no address), never unlimited.
    return address === null ? undefined : (address ?? "");
  };

  /** The number in the stored form, or the refusal better-auth answers. */
  async function stored(phoneNumber) {
    const form = await storedForm(phoneNumber);
    if (form !== phoneNumber) throw notStoredForm(form);
    return form;
  }

  /** Sends TurkeySMS's own code; better-auth's `code` is ignored (verification is the service's). */
  async function send({ phoneNumber }, ctx) {
    const mobile = await stored(phoneNumber);
    try {
      await service.send({ mobile, clientIp: clientIpOf(ctx) });
    } catch (error) {
      throw apiErrorOf(error);
    }
  }

  return {
    sendOTP: send,
    sendPasswordResetOTP: send,
    /** True when the service accepts the code; otherwise its refusal, so the person sees why. */
    async verifyOTP({ phoneNumber, code }, ctx) {
      const mobile = await stored(phoneNumber);
      try {
        await service.check({ mobile, code, clientIp: clientIpOf(ctx) });
      } catch (error) {
        throw apiErrorOf(error);
      }
      return true;
    },
    /** The Rust rules, in the stored form only ("+905321234567"). */
    async phoneNumberValidator(phoneNumber) {
      return (await storedForm(phoneNumber)) === phoneNumber;
    },
  };
}

/**
 * A better-auth plugin that rewrites the body's `phoneNumber` to the stored form
 * ("+905321234567") before the phone-number endpoints, when the Rust rules accept it; anything
 * else goes on as typed, for the validator to refuse.
 */
export function turkeysmsPhoneNumberForm() {
  return {
    id: "turkeysms-phone-number-form",
    hooks: {
      before: [
        {
          matcher: (context) => PATHS.has(context.path),
          handler: createAuthMiddleware(async (ctx) => {
            // The body as sent: better-auth checks it against the endpoint's schema afterwards.
            const body = /** @type {Record<string, unknown> | undefined} */ (ctx.body);
            const form = await storedForm(body?.phoneNumber);
            if (form === null || form === body.phoneNumber) return;
            return { context: { body: { ...body, phoneNumber: form } } };
          }),
        },
      ],
    },
  };
}
