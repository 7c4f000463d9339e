// createOtpHandler in an Express 5 app, through @hono/node-server's getRequestListener (it makes a
// fetch Request of Express's req and writes the Response to res), next to an ordinary JSON route:
// POST /api/login takes the token /api/otp/verify answered and replies with the number it proves.
//   npm install turkeysms-otp express @hono/node-server
//
// Try it against the sandbox (any API key works there):
//   npx turkeysms-sandbox                       # TurkeySMS's stand-in on http://127.0.0.1:8910
//   TURKEYSMS_API_KEY=any TURKEYSMS_BASE_URL=http://127.0.0.1:8910 \
//     OTP_SECRET="$(openssl rand -base64 32)" PORT=3000 node examples/express/server.mjs
//   curl -s 127.0.0.1:3000/api/otp/send -H 'Content-Type: application/json' -d '{"mobile":"05321234567"}'
//   curl -s '127.0.0.1:8910/sandbox/messages?mobile=905321234567'      # the SMS, with its code
//   curl -s 127.0.0.1:3000/api/otp/verify -H 'Content-Type: application/json' \
//     -d '{"mobile":"05321234567","code":"<the code>"}'                  # → { "token": ... }
//   curl -s 127.0.0.1:3000/api/login -H 'Content-Type: application/json' -d '{"token":"<the token>"}'
// Without TURKEYSMS_BASE_URL the codes go to TurkeySMS itself. PORT=0 takes a free port.
import { getRequestListener } from "@hono/node-server";
import express from "express";
import { createOtpHandler, isOtpError, verifyOtpToken } from "turkeysms-otp";

const secret = process.env.OTP_SECRET; // 32 bytes or more: openssl rand -base64 32

const otp = getRequestListener(
  createOtpHandler({
    apiKey: process.env.TURKEYSMS_API_KEY,
    baseUrl: process.env.TURKEYSMS_BASE_URL || undefined, // unset: TurkeySMS itself
    prefix: "/api", // serves POST /api/otp/send, /api/otp/detailed and /api/otp/verify
    verify: { secret },
    // Pages of this site are welcome as they are; pages elsewhere need allowedOrigins.
  }),
);

const app = express();

// 1. The OTP routes, BEFORE any body parser: the handler reads the raw body itself (with its own
// size and time limits); after express.json() the stream is already consumed and every request
// would be refused (400 INVALID_JSON). app.all keeps req.url whole, so the prefix is the public
// path. (With app.use("/api", otp) Express strips the mount path: the handler would see /otp/send
// and need prefix: "", and it would answer 404 for every other /api route.) Express 5 needs a
// named wildcard: "/api/otp/*" throws "Missing parameter name".
app.all("/api/otp/*path", otp);

// 2. Everything else parses JSON as usual.
app.use(express.json({ limit: "4kb" }));

app.post("/api/login", async (req, res) => {
  try {
    const { mobile } = await verifyOtpToken(req.body?.token, { secret });
    // Here: find or create the user with this number and start a session.
    res.json({ mobile });
  } catch (error) {
    if (!isOtpError(error)) throw error;
    res.status(401).json({ error: error.code }); // TOKEN_INVALID or TOKEN_EXPIRED
  }
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
