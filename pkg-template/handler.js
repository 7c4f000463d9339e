// createOtpHandler: a fetch-API handler (Request => Response) that keeps the TurkeySMS key on
// the server and stops the usual abuse of "send me a code" endpoints. It serves the same paths
// as TurkeySMS, so a page simply calls sendOtp({ baseUrl: "/api", mobile }) with no key, and,
// with `verify`, checks the code the person types back (verifyOtp({ baseUrl: "/api", ... })).
//
// The order of the controls (docs/SECURITY.md says what each stops):
//   1. path, origin (CORS), method, content type: refused with nothing read (this file);
//   2. the body: at most maxBodyBytes, within bodyTimeoutMs, a JSON object (this file);
//   3. the request itself: for a send, a configured template, a valid number, an allowed
//      country and, when configured, Turnstile (handler-send.js); for a check, a well-formed
//      number and code (handler-verify.js);
//   4. the counters, in one atomic reservation in the store: for a send, cooldown and limit per
//      number, per client IP, global; for a check, per number and per client IP. A refusal
//      counts nothing, so refused requests cost no one else budget;
//   5. the send, or the check. If a send fails, the cooldown is given back (a TurkeySMS outage
//      must not look like a cooldown), except when the code may have gone out (a timeout); the
//      per-number, per-IP and global counts stay spent, so failing sends (a number TurkeySMS
//      refuses, an outage) cannot be repeated without limit against TurkeySMS and its per-key
//      rate limit.
// The page learns only a fixed text and a public code; onEvent tells the operator everything.

import { clientBucket } from "./client-ip.js";
import { readConfig } from "./handler-config.js";
import { envelope, mask, readBody } from "./handler-http.js";
import { sendCode } from "./handler-send.js";
import { checkCode } from "./handler-verify.js";
import { memoryStore } from "./store-memory.js";

export { verifyToken } from "./token.js";

/**
 * Whether a page at `origin` is the handler's own site: the request's URL, or the host the
 * request was sent to (its Host header). The second covers servers that rebuild the URL from
 * their own address (Next.js gives route handlers http://localhost:<port>) or over plain HTTP
 * behind a proxy that terminates TLS. A browser sets Host to the server it calls, so a page on
 * another site cannot pass for this one either way.
 */
function sameSite(origin, url, host) {
  if (origin === url.origin) return true;
  if (host === null) return false;
  try {
    const page = new URL(origin);
    return (page.protocol === "https:" || page.protocol === "http:") && page.host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** The handler; `sdk` is the package's own functions, passed in by each entry. */
export function createHandler(config, sdk) {
  const c = readConfig(config, sdk, memoryStore);
  const origins = new Set(c.allowedOrigins);
  const routes = {
    [`${c.prefix}/otp/send`]: (ctx, body) => sendCode(ctx, body, "standard"),
    [`${c.prefix}/otp/detailed`]: (ctx, body) => sendCode(ctx, body, "custom"),
  };
  if (c.verify) routes[`${c.prefix}/otp/verify`] = checkCode;
  const paths = Object.keys(routes).join(", ");

  return async function handle(request) {
    const started = Date.now();
    const url = new URL(request.url);
    // Browsers send Origin on every POST, same-origin ones included: those are always welcome.
    const origin = request.headers.get("origin");
    const foreign = origin !== null && !sameSite(origin, url, request.headers.get("host"));
    const cors =
      foreign && origins.has(origin)
        ? { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "Retry-After", Vary: "Origin" }
        : {};
    const client = clientBucket(request, c.trustProxy, c.proxyHops);
    const route = routes[url.pathname];
    const what = url.pathname.endsWith("/otp/verify") ? "verified" : "sent";
    let mobile = null;
    const emit = (event) => {
      if (!c.onEvent) return;
      try {
        Promise.resolve(c.onEvent({ client, ms: Date.now() - started, ...event })).catch(() => {});
      } catch {}
    };
    const answer = (status, code, message, headers = {}, detail = {}, extra = {}) => {
      const type = status < 300 ? what : detail.upstream ? "failed" : "refused";
      emit({ type, code, status, mobile: mobile && mask(mobile), ...detail });
      return envelope(status, code, message, { ...cors, ...headers }, extra);
    };
    const ctx = {
      c,
      sdk,
      client,
      request,
      answer,
      emit,
      setMobile: (value) => {
        mobile = value;
        return value;
      },
      storeFailed: (error) => {
        emit({ type: "store-error", error: String(error?.message ?? error) });
        return answer(503, "STORE_UNAVAILABLE", "Codes cannot be sent or checked right now; try again later.", {
          "Retry-After": "5",
        });
      },
      /** An application's own Response (onVerified), with this request's CORS headers. */
      own: (response, code) => {
        emit({ type: what, code, status: response.status, mobile: mobile && mask(mobile) });
        const headers = new Headers(response.headers);
        for (const [name, value] of Object.entries(cors)) headers.set(name, value);
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      },
    };

    if (!route) return answer(404, "NOT_FOUND", `POST ${paths}`);
    if (foreign && !origins.has(origin)) {
      return answer(
        403,
        "ORIGIN_NOT_ALLOWED",
        `The origin ${origin} may not call this endpoint: add it to allowedOrigins.`,
      );
    }
    if (request.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          "Access-Control-Allow-Methods": "POST",
          "Access-Control-Allow-Headers": "Content-Type, Accept, cf-turnstile-response",
          "Access-Control-Max-Age": "600",
        },
      });
    }
    if (request.method !== "POST") return answer(405, "METHOD_NOT_ALLOWED", "Use POST.", { Allow: "POST, OPTIONS" });
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      return answer(415, "UNSUPPORTED_MEDIA_TYPE", "Send Content-Type: application/json.");
    }
    const text = await readBody(request, c.maxBodyBytes, c.bodyTimeoutMs).catch(() => null);
    if (text === "timeout") return answer(408, "BODY_TIMEOUT", "The body did not arrive in time.");
    if (text === null) return answer(413, "BODY_TOO_LARGE", `The body may be at most ${c.maxBodyBytes} bytes.`);
    let body;
    try {
      body = JSON.parse(text);
    } catch {}
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return answer(400, "INVALID_JSON", "The body must be a JSON object.");
    }
    return route(ctx, body);
  };
}
