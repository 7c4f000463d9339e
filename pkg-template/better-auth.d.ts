// turkeysms-otp/better-auth: better-auth's phone-number plugin over createOtpService. The build
// copies this file to better-auth.d.cts, where each import of better-auth's types gets
// `with { "resolution-mode": "import" }` (better-auth is ESM only). The package's own types come
// by its name, which resolves to index.d.ts or index.d.cts as the importer does.
import type { BetterAuthPlugin } from "better-auth";
import type { PhoneNumberOptions } from "better-auth/plugins/phone-number";
import type { OtpService } from "turkeysms-otp";

/** How the adapter reads the client's address for the service's per-IP limits. */
export interface TurkeysmsPhoneNumberOptions {
  /** Which proxy header names the client's address: only a proxy you trust sets it. Default `"none"` (no per-IP limits). */
  trustProxy?: "none" | "cloudflare" | "x-forwarded-for" | undefined;
  /** With `"x-forwarded-for"`: how many trusted proxies append to it (the address read is that many from the right). Default 1. */
  proxyHops?: number | undefined;
}

/** What `turkeysmsPhoneNumber` gives `phoneNumber()`: spread it, and add better-auth's own options (`signUpOnVerification`, …). */
export type TurkeysmsPhoneNumberPluginOptions = {
  [K in "sendOTP" | "sendPasswordResetOTP" | "verifyOTP" | "phoneNumberValidator"]-?: NonNullable<
    PhoneNumberOptions[K]
  >;
};

/**
 * The options of better-auth's `phoneNumber()` over `service` (createOtpService with `verify`):
 * `sendOTP` and `sendPasswordResetOTP` send TurkeySMS's own code through `service.send` (the code
 * better-auth passes is ignored); `verifyOTP` checks through `service.check` and otherwise throws
 * an `APIError` with the service's `code`, status and message (429 with `retryAfter` and a
 * Retry-After header for a limit); `phoneNumberValidator` accepts a number the package's rules
 * accept, in the stored form `"+905321234567"` only (add `turkeysmsPhoneNumberForm()` so any
 * spelling is rewritten to it). Throws an `OtpError` (`INVALID_CONFIG`) for a bad argument.
 */
export declare function turkeysmsPhoneNumber(
  service: OtpService,
  options?: TurkeysmsPhoneNumberOptions,
): TurkeysmsPhoneNumberPluginOptions;

/** The plugin `turkeysmsPhoneNumberForm` makes. */
export type TurkeysmsPhoneNumberFormPlugin = {
  id: "turkeysms-phone-number-form";
  hooks: NonNullable<BetterAuthPlugin["hooks"]>;
};

/**
 * A better-auth plugin that rewrites the body's `phoneNumber` to the stored form
 * (`"+905321234567"`) before the phone-number endpoints, so every spelling of a number is one
 * user. Put it in `plugins` next to `phoneNumber(...)`.
 */
export declare function turkeysmsPhoneNumberForm(): TurkeysmsPhoneNumberFormPlugin;
