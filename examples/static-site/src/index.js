// The Worker behind a static site: Workers static assets answer the files of public/ (the page
// and the package's browser files copied into public/turkeysms-otp/), and every other request
// comes here, where createOtpHandler serves /api with the TurkeySMS key as a secret. The page and
// its API share one origin, so no allowedOrigins is needed.
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
      trustProxy: "cloudflare", // CF-Connecting-IP is set by Cloudflare itself
      store: durableObjectStore(env.OTP_STORE),
      verify: { secret: env.OTP_SECRET }, // npx wrangler secret put OTP_SECRET
    });
    return handle(request);
  },
};
