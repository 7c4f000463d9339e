// The Hono app of src/app.mjs on Node, with @hono/node-server.
//   npm install turkeysms-otp hono @hono/node-server
//
// Try it against the sandbox (any API key works there):
//   npx turkeysms-sandbox                       # TurkeySMS's stand-in on http://127.0.0.1:8910
//   TURKEYSMS_API_KEY=any TURKEYSMS_BASE_URL=http://127.0.0.1:8910 \
//     OTP_SECRET="$(openssl rand -base64 32)" PORT=3000 node examples/hono/src/node.mjs
//   curl -s 127.0.0.1:3000/api/otp/send -H 'Content-Type: application/json' -d '{"mobile":"05321234567"}'
//   curl -s '127.0.0.1:8910/sandbox/messages?mobile=905321234567'      # the SMS, with its code
//   curl -s 127.0.0.1:3000/api/otp/verify -H 'Content-Type: application/json' \
//     -d '{"mobile":"05321234567","code":"<the code>"}'                  # → { "token": ... }
// Without TURKEYSMS_BASE_URL the codes go to TurkeySMS itself. PORT=0 takes a free port.
// The same app on workerd: src/worker.js.
import { serve } from "@hono/node-server";
import { createApp } from "./app.mjs";

const app = createApp(process.env);

serve({ fetch: app.fetch, hostname: "127.0.0.1", port: Number(process.env.PORT ?? 3000) }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
