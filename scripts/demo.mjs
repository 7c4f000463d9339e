#!/usr/bin/env node
// `make demo`: the sandbox plus a static server for www/ (and the built package under /pkg/),
// with createOtpHandler under /api, all on 127.0.0.1. Prints the page's URL; Ctrl-C stops both.
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
  const config = { sandboxUrl: sandbox.url, verify: codes, cooldownMs: COOLDOWN_MS, edgeKey: EDGE_KEY };
  const site = await serveStatic({
    port,
    mounts: { "/": join(root, "www"), "/pkg/": join(root, "pkg") },
    routes: { "/config.json": () => ["application/json", JSON.stringify(config)] },
    // The safe browser setup: the page calls /api with no key; this handler adds it.
    handlers: {
      "/api/": createOtpHandler({
        apiKey: EDGE_KEY,
        baseUrl: sandbox.url,
        prefix: "/api",
        cooldownMs: COOLDOWN_MS,
        perNumber: { limit: 20 },
        templates: { demo: { title: "MyApp", text: "MyApp code: TS-CODE. Valid for 5 minutes." } },
        // The code step: a keyed hash of each code sent, and /api/otp/verify.
        verify: { secret: randomBytes(32).toString("base64url"), ...codes },
        // Delivery: the sandbox's signed webhooks at /api/webhooks/turkeysms, and /api/otp/status.
        webhook: { secret: webhookSecret },
      }),
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
