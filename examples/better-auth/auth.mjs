// better-auth with sign-in by SMS code through TurkeySMS: better-auth's phone-number plugin, its
// codes sent and checked by createOtpService (limits, cooldowns, attempts), every spelling of a
// number stored as one user ("+905321234567").
//   npm install turkeysms-otp better-auth
//
// Use it from your server (auth.handler(request) serves better-auth's routes, e.g. under
// /api/auth/*) or with better-auth's server API:
//   await auth.api.sendPhoneNumberOTP({ body: { phoneNumber: "0532 123 45 67" }, headers })
//   await auth.api.verifyPhoneNumber({ body: { phoneNumber: "0532 123 45 67", code }, headers })
//     → { status: true, token, user: { phoneNumber: "+905321234567", phoneNumberVerified: true } }
// A refusal is better-auth's APIError with the service's code and status: CODE_INVALID (400),
// COOLDOWN (429, the wait in `retryAfter` and Retry-After), UNAVAILABLE (503), …
//
// Try it against the sandbox (any API key works there): npx turkeysms-sandbox, then
//   TURKEYSMS_API_KEY=any TURKEYSMS_BASE_URL=http://127.0.0.1:8910 OTP_SECRET="$(openssl rand -base64 32)" \
//     BETTER_AUTH_SECRET="$(openssl rand -base64 32)" node your-server.mjs
// and read the codes at http://127.0.0.1:8910/sandbox/messages?mobile=905321234567.
// Without TURKEYSMS_BASE_URL the codes go to TurkeySMS itself.
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { phoneNumber } from "better-auth/plugins";
import { createOtpService } from "turkeysms-otp";
import { turkeysmsPhoneNumber, turkeysmsPhoneNumberForm } from "turkeysms-otp/better-auth";

// The OTP service: one per process. Its counters and codes are in memory here; with more than one
// instance, pass store: redisStore(client) (or durableObjectStore on Workers).
export const otp = createOtpService({
  apiKey: process.env.TURKEYSMS_API_KEY,
  baseUrl: process.env.TURKEYSMS_BASE_URL || undefined, // unset: TurkeySMS itself
  verify: { secret: process.env.OTP_SECRET }, // 32 bytes or more: openssl rand -base64 32
});

export const auth = betterAuth({
  secret: process.env.BETTER_AUTH_SECRET,
  // Your database here; the memory adapter keeps users and sessions until the process ends.
  database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
  plugins: [
    phoneNumber({
      // sendOTP, sendPasswordResetOTP, verifyOTP and phoneNumberValidator. Behind Cloudflare, or a
      // proxy that appends X-Forwarded-For, add { trustProxy: "cloudflare" } (or
      // "x-forwarded-for") for per-address limits; never trust a header no proxy of yours sets.
      ...turkeysmsPhoneNumber(otp),
      // A first verified code makes the user; better-auth wants an email and a name for it.
      signUpOnVerification: {
        getTempEmail: (phone) => `${phone.slice(1)}@phone.invalid`,
        getTempName: (phone) => phone,
      },
    }),
    // Rewrites the typed number ("0532 123 45 67", "+90 532 123 4567") to "+905321234567" before
    // the phone-number routes: one person, one user. Without it only that form is accepted.
    turkeysmsPhoneNumberForm(),
  ],
});
