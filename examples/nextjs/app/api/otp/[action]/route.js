// createOtpHandler as a Next.js App Router route handler: POST /api/otp/send, /api/otp/detailed
// and /api/otp/verify, with Next's own Request. See next.config.mjs for how to build and run it.
import { createOtpHandler } from "turkeysms-otp";

// Made once per server process, on the first request rather than at import: `next build` imports
// this module to collect its config, and there the secrets are usually not set (createOtpHandler
// would throw INVALID_CONFIG and fail the build).
let handle;

export function POST(request) {
  handle ??= createOtpHandler({
    apiKey: process.env.TURKEYSMS_API_KEY,
    baseUrl: process.env.TURKEYSMS_BASE_URL || undefined, // unset: TurkeySMS itself
    prefix: "/api",
    // 32 bytes or more (openssl rand -base64 32): keys the stored codes and signs the tokens,
    // which your backend checks with verifyOtpToken(token, { secret }).
    verify: { secret: process.env.OTP_SECRET },
    // Pages of this site are welcome as they are (Next's request.url is http://localhost:<port>,
    // so the handler also counts the Host the page called as its own). Pages elsewhere need
    // allowedOrigins: ["https://other.example"].
  });
  return handle(request);
}
