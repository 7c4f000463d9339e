// A Node backend with plain node:http: createOtpHandler under /api (a page sends and checks codes
// with no key: sendOtp / verifyOtp({ baseUrl: "/api", ... })), and POST /login, which takes the
// token verifyOtp resolved with and answers the number it proves, or 401.
//
// Try it without an account against the sandbox (any API key works there):
//   npx turkeysms-sandbox                       # TurkeySMS's stand-in on http://127.0.0.1:8910
//   TURKEYSMS_API_KEY=any TURKEYSMS_BASE_URL=http://127.0.0.1:8910 \
//     OTP_SECRET="$(openssl rand -base64 32)" PORT=3000 node server.mjs
//   curl -s 127.0.0.1:3000/api/otp/send -H 'Content-Type: application/json' -d '{"mobile":"05321234567"}'
//   curl -s '127.0.0.1:8910/sandbox/messages?mobile=905321234567'      # the SMS, with its code
//   curl -s 127.0.0.1:3000/api/otp/verify -H 'Content-Type: application/json' \
//     -d '{"mobile":"05321234567","code":"<the code>"}'                  # → { "token": ... }
//   curl -s 127.0.0.1:3000/login -H 'Content-Type: application/json' -d '{"token":"<the token>"}'
// Without TURKEYSMS_BASE_URL the codes go to TurkeySMS itself. PORT=0 takes a free port.
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { createOtpHandler, isOtpError, verifyOtpToken } from "turkeysms-otp";

let otp;
try {
  otp = createOtpHandler({
    apiKey: process.env.TURKEYSMS_API_KEY,
    baseUrl: process.env.TURKEYSMS_BASE_URL || undefined, // unset: TurkeySMS itself
    prefix: "/api",
    // 32 bytes or more, e.g. openssl rand -base64 32: keys the stored codes and signs the tokens.
    verify: { secret: process.env.OTP_SECRET },
    // Behind a reverse proxy that sets X-Forwarded-For, trustProxy: "x-forwarded-for" adds
    // per-address limits; listening directly, as here, there is no header to trust.
  });
} catch (error) {
  // INVALID_CONFIG names the setting (field); the message never contains its value.
  console.error(`config: ${error.code} (${error.field}): ${error.message}`);
  process.exit(1);
}

/** The IncomingMessage as a fetch Request. The body streams, so the handler's size and time limits apply. */
function toRequest(req) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : Readable.toWeb(req);
  return new Request(new URL(req.url, `http://${req.headers.host ?? "localhost"}`), {
    method: req.method,
    headers,
    body,
    duplex: "half",
  });
}

/** Writes a fetch Response back (each Set-Cookie on its own, should an onVerified set some). */
async function writeResponse(res, response) {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.appendHeader(name, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

const json = (status, body) => Response.json(body, { status });

/** The body, parsed as JSON; undefined when it is not JSON or is over 4 KB (a token is ~300 bytes). */
async function readJson(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > 4096) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

/** POST /login { token }: 200 { mobile } when the token is one of ours, else 401 { error }. */
async function login(request) {
  if (request.method !== "POST") return json(405, { error: "METHOD_NOT_ALLOWED" });
  const body = await readJson(request);
  if (typeof body !== "object" || body === null) return json(400, { error: "INVALID_JSON" });
  const { token } = body;
  try {
    const { mobile } = await verifyOtpToken(token, { secret: process.env.OTP_SECRET });
    // Here: find or create the user with this number and start a session. A token can be replayed
    // until it expires (10 minutes): to accept each once, keep the used claims.jti until claims.exp.
    return json(200, { mobile });
  } catch (error) {
    if (!isOtpError(error)) throw error;
    return json(401, { error: error.code }); // TOKEN_INVALID or TOKEN_EXPIRED
  }
}

const server = createServer(async (req, res) => {
  let request;
  try {
    request = toRequest(req);
  } catch {
    return res.writeHead(400).end(); // a Host header no URL can hold
  }
  try {
    const { pathname } = new URL(request.url);
    let response;
    if (pathname.startsWith("/api/")) response = await otp(request);
    else if (pathname === "/login") response = await login(request);
    else response = json(404, { error: "NOT_FOUND" });
    await writeResponse(res, response);
  } catch (error) {
    console.error(error);
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { "Content-Type": "application/json" }).end('{"error":"INTERNAL_ERROR"}');
  }
});

server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
