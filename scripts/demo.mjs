#!/usr/bin/env node
// `make demo`: the sandbox plus a static server for www/ (and the built package under /pkg/),
// with createOtpHandler under /api, all on 127.0.0.1. Prints the page's URL; Ctrl-C stops both.
//   DEMO_PORT (default 8080) and SANDBOX_PORT (default 8787); 0 picks a free port.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createOtpHandler } from "../pkg/node.mjs";
import { startSandbox } from "../sandbox/server.mjs";
import { serveStatic } from "./static-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Starts the demo; resolves to { url, sandboxUrl, close() }. `verify` is the edge handler's
 * verify config without its secret (a fresh random one per start); the tests shorten codeTtlMs.
 */
export async function startDemo({ port = 8080, sandboxPort = 8787, verify = {} } = {}) {
  const sandbox = await startSandbox({ port: sandboxPort });
  const codes = { codeTtlMs: 300_000, maxAttempts: 5, ...verify };
  const site = await serveStatic({
    port,
    mounts: { "/": join(root, "www"), "/pkg/": join(root, "pkg") },
    routes: { "/config.json": () => ["application/json", JSON.stringify({ sandboxUrl: sandbox.url, verify: codes })] },
    // The safe browser setup: the page calls /api with no key; this handler adds it.
    handlers: {
      "/api/": createOtpHandler({
        apiKey: "sandbox-demo-edge",
        baseUrl: sandbox.url,
        prefix: "/api",
        cooldownMs: 5_000,
        perNumber: { limit: 20 },
        templates: { demo: { title: "MyApp", text: "MyApp code: TS-CODE. Valid for 5 minutes." } },
        // The code step: a keyed hash of each code sent, and /api/otp/verify.
        verify: { secret: randomBytes(32).toString("base64url"), ...codes },
      }),
    },
  }).catch(async (error) => {
    await sandbox.close();
    throw error;
  });
  return {
    url: site.url,
    sandboxUrl: sandbox.url,
    close: () => Promise.all([sandbox.close(), site.close()]),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const demo = await startDemo({
    port: Number(process.env.DEMO_PORT ?? 8080),
    sandboxPort: Number(process.env.SANDBOX_PORT ?? 8787),
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
