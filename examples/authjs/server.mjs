// Auth.js (@auth/core, the engine of next-auth v5) with sign-in by SMS code through TurkeySMS: a
// Credentials provider whose `phone` + `code` are checked by createOtpService (limits, cooldowns,
// attempts), and the app's own POST /otp/send that asks for the code. The session's user id is
// the number as "+905321234567" (E.164, the form turkeysms-otp/better-auth stores too), made from
// the number the service checked, so every spelling a person types is one user.
//   npm install turkeysms-otp @auth/core @hono/node-server
//
// Try it against the sandbox (any API key works there):
//   npx turkeysms-sandbox                       # TurkeySMS's stand-in on http://127.0.0.1:8910
//   TURKEYSMS_API_KEY=any TURKEYSMS_BASE_URL=http://127.0.0.1:8910 OTP_SECRET="$(openssl rand -base64 32)" \
//     AUTH_SECRET="$(openssl rand -base64 32)" PORT=3000 node examples/authjs/server.mjs
//   curl -s 127.0.0.1:3000/otp/send -H 'Content-Type: application/json' -d '{"phone":"0532 123 45 67"}'
//   curl -s '127.0.0.1:8910/sandbox/messages?mobile=905321234567'      # the SMS, with its code
// then sign in on Auth.js's own page, http://127.0.0.1:3000/auth/signin (phone and code), and read
// http://127.0.0.1:3000/auth/session → { "user": { "id": "+905321234567" }, "expires": ... }.
// Without TURKEYSMS_BASE_URL the codes go to TurkeySMS itself. PORT=0 takes a free port. Behind a
// proxy, AUTH_URL is the address people use (https://app.example.com): Auth.js makes its
// redirects and cookies (Secure on https) for it.
import { Auth } from "@auth/core";
import { CredentialsSignin } from "@auth/core/errors";
import Credentials from "@auth/core/providers/credentials";
import { serve } from "@hono/node-server";
import { createOtpService, isOtpError } from "turkeysms-otp";

// One per process; its counters and codes are in memory here. With more than one instance, pass
// store: redisStore(client) (or durableObjectStore on Workers).
const otp = createOtpService({
  apiKey: process.env.TURKEYSMS_API_KEY,
  baseUrl: process.env.TURKEYSMS_BASE_URL || undefined, // unset: TurkeySMS itself
  verify: { secret: process.env.OTP_SECRET }, // 32 bytes or more: openssl rand -base64 32
});

/** Auth.js's configuration; `clientIp` is the address of the request's connection. */
const authConfig = (clientIp) => ({
  basePath: "/auth",
  secret: process.env.AUTH_SECRET, // openssl rand -base64 32
  // Auth.js refuses to run (UntrustedHost) unless told the request's URL can be trusted: it makes
  // its redirects from it. It can here: this server builds that URL from AUTH_URL or its own
  // address, never from the Host header a client sends.
  trustHost: true,
  session: { strategy: "jwt" }, // Credentials signs in without a database: the session is a JWT
  providers: [
    Credentials({
      credentials: {
        phone: { label: "Phone", type: "tel", autocomplete: "tel" },
        code: { label: "Code", inputMode: "numeric", autocomplete: "one-time-code" },
      },
      async authorize({ phone, code }) {
        if (typeof phone !== "string" || typeof code !== "string") return null; // a form sends strings
        try {
          const { mobile } = await otp.check({ mobile: phone, code, clientIp });
          // Here: find or create your user by this number. Its id here is the number itself.
          return { id: `+${mobile}` };
        } catch (error) {
          if (!isOtpError(error) || error.code === "INVALID_CONFIG") throw error; // ours: a 500
          // A wrong, expired or mistyped code or number: Auth.js's CredentialsSignin
          // (?error=CredentialsSignin&code=credentials), and no session.
          if (error.status === 400) return null;
          // A limit (TOO_MANY_ATTEMPTS, NUMBER_LIMIT, IP_LIMIT) or an outage (STORE_UNAVAILABLE),
          // worth telling the page: ?error=CredentialsSignin&code=TOO_MANY_ATTEMPTS. No session.
          throw Object.assign(new CredentialsSignin(), { code: error.code });
        }
      },
    }),
  ],
  callbacks: {
    // Auth.js's session shows a name, email and image by default; this user has an id only.
    session: ({ session, token }) => ({ user: { id: token.sub }, expires: session.expires }),
  },
});

/** The JSON body's `phone`, or undefined; at most 1 KB is read ({"phone":"0532 123 45 67"} is 26 bytes). */
async function phoneOf(request) {
  let text = "";
  for await (const part of request.body?.pipeThrough(new TextDecoderStream()) ?? []) {
    text += part;
    if (text.length > 1024) return undefined;
  }
  try {
    return JSON.parse(text)?.phone;
  } catch {
    return undefined;
  }
}

/** POST /otp/send { phone }: 200 { id }, or the service's refusal with its status, code and wait. */
async function send(request, clientIp) {
  // JSON only: a page elsewhere cannot send it without a CORS preflight, which this server refuses.
  if (request.method !== "POST") return Response.json({ code: "METHOD_NOT_ALLOWED" }, { status: 405 });
  if (!request.headers.get("content-type")?.startsWith("application/json")) {
    return Response.json({ code: "UNSUPPORTED_MEDIA_TYPE" }, { status: 415 });
  }
  try {
    const { id } = await otp.send({ mobile: await phoneOf(request), clientIp });
    return Response.json({ id });
  } catch (error) {
    if (!isOtpError(error) || error.code === "INVALID_CONFIG") throw error;
    const wait = error.retryAfter;
    return Response.json(
      { code: error.code, message: error.message, ...(wait && { retryAfter: wait }) },
      { status: error.status, headers: wait ? { "Retry-After": String(wait) } : {} },
    );
  }
}

let origin; // AUTH_URL's origin, or this server's own address once it listens
serve(
  {
    hostname: "127.0.0.1",
    port: Number(process.env.PORT ?? 3000),
    async fetch(request, { incoming }) {
      // The client's address for the per-IP limits: the connection's, which no header can change.
      // Behind a proxy of yours it is the proxy's: read the address your proxy appends instead.
      const clientIp = incoming.socket.remoteAddress;
      const { pathname, search } = new URL(request.url);
      if (pathname === "/otp/send") return send(request, clientIp);
      // Auth.js gets the request on this server's own origin (see trustHost).
      if (pathname.startsWith("/auth/")) {
        return Auth(new Request(`${origin}${pathname}${search}`, request), authConfig(clientIp));
      }
      return Response.json({ code: "NOT_FOUND" }, { status: 404 });
    },
  },
  (info) => {
    origin = new URL(process.env.AUTH_URL ?? `http://127.0.0.1:${info.port}`).origin;
    console.log(`listening on http://127.0.0.1:${info.port}`);
  },
);
