// The Hono app of src/app.mjs as a Cloudflare Worker (wrangler.toml beside src/).
// Try it against the sandbox (any API key works there):
//   npx turkeysms-sandbox                       # TurkeySMS's stand-in on http://127.0.0.1:8910
//   cd examples/hono && npx wrangler dev --port 3000 --var TURKEYSMS_API_KEY:any \
//     --var TURKEYSMS_BASE_URL:http://127.0.0.1:8910 --var OTP_SECRET:"$(openssl rand -base64 32)"
//   then the same curl commands as in src/node.mjs.
// Deployed: npx wrangler secret put TURKEYSMS_API_KEY, npx wrangler secret put OTP_SECRET, and
// TURKEYSMS_BASE_URL left empty. The handler's counters and pending codes live in the isolate's
// memory here; for limits shared by every isolate, pass store: durableObjectStore(env.OTP_STORE)
// as examples/edge-proxy does.
import { createApp } from "./app.mjs";

let app; // made on the first request, when the Worker's env is known; reused after

export default {
  fetch(request, env, ctx) {
    app ??= createApp(env);
    return app.fetch(request, env, ctx);
  },
};
