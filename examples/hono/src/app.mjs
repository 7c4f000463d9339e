// The Hono app, shared by src/node.mjs (Node) and src/worker.js (Cloudflare Workers): the OTP
// routes hand Hono's fetch Request (c.req.raw) to createOtpHandler and return its Response.
// `env` holds TURKEYSMS_API_KEY, TURKEYSMS_BASE_URL and OTP_SECRET: process.env on Node, the
// Worker's env (vars and secrets) on workerd.
import { Hono } from "hono";
import { createOtpHandler } from "turkeysms-otp";

export function createApp(env) {
  const handle = createOtpHandler({
    apiKey: env.TURKEYSMS_API_KEY,
    baseUrl: env.TURKEYSMS_BASE_URL || undefined, // unset: TurkeySMS itself
    prefix: "/api", // serves POST /api/otp/send, /api/otp/detailed and /api/otp/verify
    // 32 bytes or more (openssl rand -base64 32): keys the stored codes and signs the tokens,
    // which your backend checks with verifyOtpToken(token, { secret }).
    verify: { secret: env.OTP_SECRET },
    // Pages of this site are welcome as they are; pages elsewhere need allowedOrigins.
  });

  const app = new Hono();
  // Before any middleware that reads the body: the handler reads it itself, with its own limits.
  app.all("/api/otp/*", (c) => handle(c.req.raw));
  app.get("/", (c) => c.text("POST /api/otp/send, /api/otp/verify\n"));
  return app;
}
