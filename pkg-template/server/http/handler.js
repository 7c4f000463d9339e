// createOtpHandler: the HTTP layer over the service (a fetch-API handler, Request => Response,
// for Workers, Deno.serve, Bun.serve and Node). It serves TurkeySMS's paths, so a page calls
// sendOtp({ baseUrl: "/api", mobile }) with no key, and, with `verify`, /otp/verify.
//
// Each route is one file in routes/ that declares its path, method, body and CORS rules; this
// file applies them, in this order, refusing with nothing read:
//   1. the path, the origin (a page's route: same site or allowedOrigins, CORS), the method,
//      the content type;
//   2. the body: at most maxBodyBytes, within bodyTimeoutMs, a JSON object;
//   3. the route, which calls the service: the service decides (limits, codes), and rejects
//      with an OtpError whose code and status this file answers with.
// The page learns only a fixed text and a public code (answers.js); onEvent tells the operator
// everything.

import { messageOf, statusOf } from "../answers.js";
import { readConfig } from "../options.js";
import { bucketOf, clientAddress } from "../policy.js";
import { emitter, serviceOf } from "../service.js";
import { envelope, readBody } from "./body.js";
import { sameSite } from "./origin.js";
import { sendRoute } from "./routes/send.js";
import { statusRoute } from "./routes/status.js";
import { verifyRoute } from "./routes/verify.js";
import { webhookRoute } from "./routes/webhook.js";

/**
 * A route, as each file of routes/ declares it: its path under the prefix, its method, its body
 * ("json": a JSON object; "raw": the bytes), and its CORS rules ("page": the handler's own
 * site or allowedOrigins; "none": server to server). `handle` answers a code (with `extra`
 * fields for the envelope) or the application's own Response, or rejects with a refusal.
 * @typedef {object} Route
 * @property {string} path
 * @property {"POST"} method
 * @property {"json" | "raw"} body
 * @property {"page" | "none"} cors
 * @property {(ctx: RouteContext) => Promise<{ code: string, extra?: object } | Response>} handle
 *
 * @typedef {object} RouteContext
 * @property {any} c the checked configuration
 * @property {ReturnType<typeof import("../service.js").serviceOf>} service
 * @property {any} body the JSON body, for "json" routes
 * @property {Uint8Array} raw the body's bytes
 * @property {Request} request
 * @property {string | undefined} clientIp
 * @property {(event: object) => void} emit
 */

/**
 * The routes of a configuration; a new route is one file in routes/ and one line here.
 * @returns {Route[]}
 */
const routesOf = (c) =>
  [
    sendRoute("standard"),
    sendRoute("custom"),
    c.verify && verifyRoute,
    c.webhook && statusRoute,
    c.webhook && webhookRoute,
  ].filter(Boolean);

const decoder = new TextDecoder();

/**
 * @param {import("../../index.d.ts").OtpHandlerConfig} config
 * @returns {import("../../index.d.ts").OtpHandler}
 */
export function createHandler(config) {
  const c = readConfig(config, { http: true, who: "createOtpHandler" });
  const emit = emitter(c.onEvent);
  const service = serviceOf(c, emit);
  const routes = new Map(routesOf(c).map((route) => [`${c.prefix}${route.path}`, route]));
  const paths = [...routes.keys()].join(", ");
  const origins = new Set(c.allowedOrigins);

  /** The client's address: the config's own reader, or the trusted proxy's header. */
  const addressOf = async (request, rest) => {
    if (!c.clientIp) return clientAddress(request.headers, c.trustProxy, c.proxyHops);
    const address = await c.clientIp(request, ...rest);
    return typeof address === "string" ? address : undefined; // unreadable: the shared bucket
  };

  /** `rest`: what the server passes after the request (node:http adapters: { incoming }), for clientIp. */
  async function handle(request, ...rest) {
    const started = Date.now();
    const url = new URL(request.url);
    const route = routes.get(url.pathname);
    const address = await addressOf(request, rest);
    // Trusted but missing or unreadable: one shared bucket ("" is no address), never unlimited.
    const clientIp = address === null ? undefined : (address ?? "");
    // Browsers send Origin on every POST, same-origin ones included: those are always welcome.
    const origin = request.headers.get("origin");
    const foreign = origin !== null && !sameSite(origin, url, request.headers.get("host"));
    // A page's routes (and a 404, which a page may hit) answer an allowed origin with CORS.
    const cors =
      (route?.cors ?? "page") === "page" && foreign && origins.has(origin)
        ? { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "Retry-After", Vary: "Origin" }
        : {};
    const tell = (event) =>
      emit({
        client: clientIp === undefined ? null : bucketOf(clientIp),
        mobile: null,
        ms: Date.now() - started,
        ...event,
      });
    /** A refusal of this layer's own, told to onEvent (the service tells its own). */
    const refuse = (code, detail, headers = {}) => {
      tell({ type: "refused", code, status: statusOf(code) });
      return envelope(statusOf(code), code, messageOf(code, detail), { ...cors, ...headers });
    };

    if (!route) return refuse("NOT_FOUND", paths);
    if (route.cors === "page") {
      if (foreign && !origins.has(origin)) return refuse("ORIGIN_NOT_ALLOWED", origin);
      if (request.method === "OPTIONS") {
        return new Response(null, {
          status: 204,
          headers: {
            ...cors,
            "Access-Control-Allow-Methods": route.method,
            "Access-Control-Allow-Headers": "Content-Type, Accept, cf-turnstile-response",
            "Access-Control-Max-Age": "600",
          },
        });
      }
    }
    if (request.method !== route.method) return refuse("METHOD_NOT_ALLOWED", undefined, { Allow: route.method });
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      return refuse("UNSUPPORTED_MEDIA_TYPE");
    }
    const raw = await readBody(request, c.maxBodyBytes, c.bodyTimeoutMs).catch(() => null);
    if (raw === "timeout") return refuse("BODY_TIMEOUT");
    if (raw === null) return refuse("BODY_TOO_LARGE", c.maxBodyBytes);
    let body;
    if (route.body === "json") {
      try {
        body = JSON.parse(decoder.decode(raw));
      } catch {}
      if (typeof body !== "object" || body === null || Array.isArray(body)) return refuse("INVALID_JSON");
    }

    let answer;
    try {
      answer = await route.handle({ c, service, body, raw, request, clientIp, emit: tell });
    } catch (error) {
      if (error?.name !== "OtpError" || error.status === undefined) throw error;
      const headers = error.retryAfter === undefined ? {} : { "Retry-After": String(error.retryAfter) };
      return envelope(error.status, error.code, error.message, { ...cors, ...headers });
    }
    if (answer instanceof Response) return withHeaders(answer, cors);
    return envelope(statusOf(answer.code), answer.code, messageOf(answer.code), cors, answer.extra);
  }

  // The service behind the routes, for what is not HTTP: stats() for a dashboard, status(id).
  return Object.assign(handle, { service: publicService(service) });
}

/** The service's public methods (send without the HTTP layer's gate). */
const publicService = (s) => ({
  send: (input) => s.send(input),
  check: s.check,
  stats: s.stats,
  status: s.status,
  webhook: s.webhook,
});

/** An application's own Response (onVerified), with this request's CORS headers. */
function withHeaders(response, extra) {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
