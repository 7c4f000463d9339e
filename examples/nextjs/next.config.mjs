// A Next.js app whose only route is app/api/otp/[action]/route.js (createOtpHandler).
//   npm install turkeysms-otp next react react-dom
//
// Try it against the sandbox (any API key works there):
//   npx turkeysms-sandbox                       # TurkeySMS's stand-in on http://127.0.0.1:8910
//   cd examples/nextjs && NEXT_TELEMETRY_DISABLED=1 npx next build
//   NEXT_TELEMETRY_DISABLED=1 TURKEYSMS_API_KEY=any TURKEYSMS_BASE_URL=http://127.0.0.1:8910 \
//     OTP_SECRET="$(openssl rand -base64 32)" \
//     npx next start -H 127.0.0.1 -p 3000
//   curl -s 127.0.0.1:3000/api/otp/send -H 'Content-Type: application/json' -d '{"mobile":"05321234567"}'
//   curl -s '127.0.0.1:8910/sandbox/messages?mobile=905321234567'      # the SMS, with its code
//   curl -s 127.0.0.1:3000/api/otp/verify -H 'Content-Type: application/json' \
//     -d '{"mobile":"05321234567","code":"<the code>"}'                  # → { "token": ... }
// The secrets are read when the server runs, not at build time. Without TURKEYSMS_BASE_URL the
// codes go to TurkeySMS itself.

/** @type {import("next").NextConfig} */
export default {
  // Load turkeysms-otp with Node's own require at run time instead of bundling it: its Node entry
  // reads turkeysms_otp.wasm from beside itself (path.join(__dirname, …)), and once Turbopack (the
  // default bundler of next build since Next 16) has bundled it that path points nowhere: the
  // first request fails with NOT_READY "Could not load …wasm" (a 500). (next build --webpack
  // leaves the package external by itself; the setting does no harm there.)
  serverExternalPackages: ["turkeysms-otp"],
};
