// createOtpHandler on plain node:http, mounted with @hono/node-server's getRequestListener: it
// turns each IncomingMessage into a fetch Request (the body streams in, so the handler's size and
// time limits apply; the URL is http://<Host header><req.url>) and writes the Response back
// (a client that goes away mid-body ends the read). No adapter of your own.
//   npm install turkeysms-otp @hono/node-server
//
// Try it against the sandbox (any API key works there):
//   npx turkeysms-sandbox                       # TurkeySMS's stand-in on http://127.0.0.1:8910
//   TURKEYSMS_API_KEY=any TURKEYSMS_BASE_URL=http://127.0.0.1:8910 \
//     OTP_SECRET="$(openssl rand -base64 32)" PORT=3000 node examples/node-http/server.mjs
//   curl -s 127.0.0.1:3000/api/otp/send -H 'Content-Type: application/json' -d '{"mobile":"05321234567"}'
//   curl -s '127.0.0.1:8910/sandbox/messages?mobile=905321234567'      # the SMS, with its code
//   curl -s 127.0.0.1:3000/api/otp/verify -H 'Content-Type: application/json' \
//     -d '{"mobile":"05321234567","code":"<the code>"}'                  # → { "token": ... }
// Without TURKEYSMS_BASE_URL the codes go to TurkeySMS itself. PORT=0 takes a free port.
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createOtpHandler } from "turkeysms-otp";

const handle = createOtpHandler({
  apiKey: process.env.TURKEYSMS_API_KEY,
  baseUrl: process.env.TURKEYSMS_BASE_URL || undefined, // unset: TurkeySMS itself
  prefix: "/api", // serves POST /api/otp/send, /api/otp/detailed and /api/otp/verify
  // 32 bytes or more (openssl rand -base64 32): keys the stored codes and signs the tokens,
  // which your backend checks with verifyOtpToken(token, { secret }).
  verify: { secret: process.env.OTP_SECRET },
  // Pages of this site are welcome, behind a proxy that terminates HTTPS too (the handler counts
  // the Host they called as its own); pages elsewhere need allowedOrigins: ["https://…"].
});

const otp = getRequestListener(handle);

const server = createServer((req, res) => {
  if (req.url.startsWith("/api/otp/")) return otp(req, res);
  res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":"NOT_FOUND"}');
});

server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
