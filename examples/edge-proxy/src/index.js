// A Cloudflare Worker that keeps the TurkeySMS key as a secret and serves TurkeySMS's paths
// under /api, with abuse limits. A page then sends a code with no key:
//   sendOtp({ baseUrl: "https://<this worker>/api", mobile })   // or "/api" on the same origin
import { createOtpHandler, rateLimitBindingStore } from "turkeysms-otp";

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
      // Counters shared across isolates, if the binding is configured (see wrangler.toml).
      store: env.OTP_LIMITER ? rateLimitBindingStore(env.OTP_LIMITER) : undefined,
    });
    return handle(request);
  },
};
