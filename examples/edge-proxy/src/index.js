// A Cloudflare Worker that keeps the TurkeySMS key as a secret and serves TurkeySMS's paths
// under /api, with abuse limits whose counters (and the pending codes' keyed hashes) live in a
// Durable Object: one strongly consistent place for every isolate and location. A page then
// sends a code with no key, and checks what the person typed back:
//   sendOtp({ baseUrl: "https://<this worker>/api", mobile })   // or "/api" on the same origin
//   verifyOtp({ baseUrl: "https://<this worker>/api", mobile, code })  // → { token }
// Your backend checks that token with verifyOtpToken(token, { secret }) (examples/node-backend).
import { createOtpHandler, durableObjectStore } from "turkeysms-otp";

// wrangler.toml binds this class as OTP_STORE; the Worker's main module must export it.
export { OtpStore } from "turkeysms-otp";

let handle;

export default {
  fetch(request, env) {
    handle ??= createOtpHandler({
      apiKey: env.TURKEYSMS_API_KEY, // npx wrangler secret put TURKEYSMS_API_KEY
      baseUrl: env.TURKEYSMS_BASE_URL || undefined, // unset: TurkeySMS itself
      prefix: "/api",
      allowedOrigins: (env.ALLOWED_ORIGINS ?? "")
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
      trustProxy: "cloudflare", // CF-Connecting-IP is set by Cloudflare itself
      templates: { login: { title: "MyApp", text: "MyApp code: TS-CODE" } },
      store: durableObjectStore(env.OTP_STORE),
      // Serves POST /api/otp/verify. The secret (32 bytes or more) keys the stored hashes and signs
      // the tokens: npx wrangler secret put OTP_SECRET (e.g. the output of openssl rand -base64 32).
      verify: { secret: env.OTP_SECRET },
      // The operator sees what the page is not told: the real upstream code, refusals, timings.
      onEvent: (event) => {
        if (event.type !== "sent") console.log(JSON.stringify(event));
      },
    });
    return handle(request);
  },
};
