#!/usr/bin/env node
// `make demo`: the sandbox plus a static server for www/ (and the built package under /pkg/),
// with createOtpHandler under /api and the operator panel's counts at GET /demo/operator, all on
// 127.0.0.1. Prints the page's URL; Ctrl-C stops both.
//   DEMO_PORT (default 8080) and SANDBOX_PORT (default 8910); 0 picks a free port.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createOtpHandler } from "../pkg/node.mjs";
import { startSandbox } from "../sandbox/server.mjs";
import { serveStatic } from "./static-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The edge handler's sandbox key: the page names it only to queue sandbox faults for its next SMS. */
const EDGE_KEY = "sandbox-demo-edge";
const COOLDOWN_MS = 5_000;
/**
 * The pumping guard, small enough to watch: a prefix (the first 10 digits, e.g. +90 555 000 00 xx,
 * a hundred numbers) that was sent 8 codes in 10 minutes with under 20% of them typed back is
 * refused for 2 minutes. Ten digits, not fewer: the browser tests send through the handler to
 * numbers that share their first 9 digits (+90 532 111 2x xx) and type few codes back, a pumping
 * pattern to a 9-digit guard; split by 10 digits, no prefix of theirs reaches 8 sends.
 */
const GUARD = { minSends: 8, minConversion: 0.2, windowMs: 600_000, suspendMs: 120_000, prefixDigits: 10 };
/** The range "Simulate SMS pumping" floods: no default or test number of the page is in it. */
const PUMP_PREFIX = "9055500000";

/** The names the demo's server answers the operator panel under (its Host header's). */
const LOOPBACK_NAMES = ["127.0.0.1", "localhost"];

/** Counts the handler's events: sends, refusals by code, verifications by result. No number is kept. */
function eventCounts() {
  const counts = { sends: 0, refusals: {}, verifications: {} };
  const add = (table, code) => {
    table[code] = (table[code] ?? 0) + 1;
  };
  const onEvent = (event) => {
    if (event.type === "sent") counts.sends++;
    // Every answer to a check is a verification result (VERIFIED, CODE_INVALID, NUMBER_LIMIT, …).
    else if (event.action === "check" && event.code) add(counts.verifications, event.code);
    else if (event.code && event.status >= 400) add(counts.refusals, event.code);
  };
  return { counts, onEvent };
}

/**
 * GET /demo/operator: the operator panel's JSON, the handler's event counts and `stats()` of the
 * service behind its routes (`handle.service`: what the guard counted). A demo's endpoint,
 * served on 127.0.0.1 with no login, to a loopback Host only: it shows counts and number
 * prefixes, never a number, but a real operator's page belongs behind the operator's own
 * authentication.
 */
function operatorRoute(counts, service) {
  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname !== "/demo/operator" || request.method !== "GET") {
      return new Response("not found", { status: 404 });
    }
    // Its own names only: a page of another name that DNS rebinding points at 127.0.0.1 is
    // same-origin with this server, and would read the panel.
    if (!LOOPBACK_NAMES.includes(url.hostname)) return new Response("forbidden", { status: 403 });
    let stats;
    try {
      stats = await service.stats();
    } catch {
      return Response.json({ code: "STORE_UNAVAILABLE" }, { status: 503 });
    }
    const verified = counts.verifications.VERIFIED ?? 0;
    const conversion = counts.sends === 0 ? null : verified / counts.sends;
    return Response.json({ ...counts, conversion, ...stats }, { headers: { "Cache-Control": "no-store" } });
  };
}

/**
 * Starts the demo; resolves to { url, sandboxUrl, close() }. `verify` is the edge handler's
 * verify config without its secret (a fresh random one per start); the tests shorten codeTtlMs.
 * `webhookDelaysMs`: when the sandbox reports each SMS sent and then delivered (or failed), in ms
 * from the send; slow enough by default for a person to watch, the tests shorten them.
 */
export async function startDemo({
  port = 8080,
  sandboxPort = 8910,
  verify = {},
  webhookDelaysMs = [1_000, 2_500],
} = {}) {
  const sandbox = await startSandbox({
    port: sandboxPort,
    webhookDelaysMs,
    // No duplicate window: the handler's cooldown already refuses repeated sends, and after an SMS
    // fails it lets the number ask again at once. That request is identical to the failed one (same
    // key, number and options), and with a window the sandbox would answer it as a duplicate,
    // sending nothing.
    duplicateWindowMs: 0,
  });
  const codes = { codeTtlMs: 300_000, maxAttempts: 5, ...verify };
  // The webhooks' secret, shared by the sandbox (it signs) and the handler (it checks): fresh per start.
  const webhookSecret = randomBytes(32).toString("base64url");
  const secret = randomBytes(32).toString("base64url");
  const config = {
    sandboxUrl: sandbox.url,
    verify: codes,
    cooldownMs: COOLDOWN_MS,
    edgeKey: EDGE_KEY,
    guard: GUARD,
    pumpPrefix: PUMP_PREFIX,
  };
  const { counts, onEvent } = eventCounts();
  const handle = createOtpHandler({
    apiKey: EDGE_KEY,
    baseUrl: sandbox.url,
    prefix: "/api",
    onEvent,
    // The limits leave a flood from the page (one code to each number of the pumped range,
    // none typed back) to the guard, which refuses its 9th send with PREFIX_SUSPENDED:
    // - cooldownMs and perNumber count per number, and the flood asks once per number;
    // - perIp does not apply: this handler trusts no proxy header, so it has no client address;
    // - globalPerMinute, the default 60 named here: a flood counts at most minSends (8) sends
    //   and a refused send counts nothing, so a flood, a person's sends and the browser
    //   tests' (about 20 in a minute) stay below it.
    cooldownMs: COOLDOWN_MS,
    perNumber: { limit: 20 },
    globalPerMinute: 60,
    guard: GUARD,
    templates: { demo: { title: "MyApp", text: "MyApp code: TS-CODE. Valid for 5 minutes." } },
    // The code step: a keyed hash of each code sent, and /api/otp/verify.
    verify: { secret, ...codes },
    // Delivery: the sandbox's signed webhooks at /api/webhooks/turkeysms, and /api/otp/status.
    webhook: { secret: webhookSecret },
  });
  const site = await serveStatic({
    port,
    mounts: { "/": join(root, "www"), "/pkg/": join(root, "pkg") },
    routes: { "/config.json": () => ["application/json", JSON.stringify(config)] },
    // The safe browser setup: the page calls /api with no key; this handler adds it.
    handlers: {
      "/api/": handle,
      // The operator panel reads stats() of the service behind the handler's routes.
      "/demo/": operatorRoute(counts, handle.service),
    },
  }).catch(async (error) => {
    await sandbox.close();
    throw error;
  });
  // The site's address is known only now: point the sandbox's webhooks at its handler.
  sandbox.setWebhook({ url: new URL("api/webhooks/turkeysms", site.url).href, secret: webhookSecret });
  return {
    url: site.url,
    sandboxUrl: sandbox.url,
    close: () => Promise.all([sandbox.close(), site.close()]),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const demo = await startDemo({
    port: Number(process.env.DEMO_PORT ?? 8080),
    sandboxPort: Number(process.env.SANDBOX_PORT ?? 8910),
  }).catch((error) => {
    if (error.code !== "EADDRINUSE") throw error;
    console.error(`make demo: port ${error.port} is in use; choose others, e.g. DEMO_PORT=0 SANDBOX_PORT=0 make demo`);
    process.exit(1);
  });
  console.log(`TurkeySMS sandbox: ${demo.sandboxUrl}`);
  console.log(`Demo page:         ${demo.url}   (Ctrl-C to stop)`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
