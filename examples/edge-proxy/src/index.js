// A Cloudflare Worker that keeps the TurkeySMS key as a secret and serves TurkeySMS's paths
// under /api, with abuse limits whose counters live in a Durable Object: one strongly consistent
// place for every isolate and location. A page then sends a code with no key:
//   sendOtp({ baseUrl: "https://<this worker>/api", mobile })   // or "/api" on the same origin
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
      // The operator sees what the page is not told: the real upstream code, refusals, timings.
      onEvent: (event) => {
        if (event.type !== "sent") console.log(JSON.stringify(event));
      },
    });
    return handle(request);
  },
};
