// Behind Vite's dev-server proxy, as the README shows it: the page's /api goes to the handler's
// server. Vite keeps the Host header by default, so the handler sees a same-origin call; with
// `changeOrigin: true` it does not, and the refusal names the origin and the option to set.
import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { after, before, test } from "node:test";
import { getRequestListener } from "@hono/node-server";
import { createOtpHandler } from "turkeysms-otp";
import { createServer } from "vite";
import { startSandbox } from "../js/helpers.mjs";
import { freePort } from "./processes.mjs";

let sandbox;
const servers = [];
before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  for (const server of servers) await server.close();
  await sandbox.close();
});

/** The handler behind a node:http server, and Vite's dev server proxying /api to it. */
async function behindVite(proxy, config = {}, port = 0) {
  const handle = createOtpHandler({ apiKey: "vite-proxy", baseUrl: sandbox.url, prefix: "/api", ...config });
  const api = createHttpServer(getRequestListener(handle)).listen(0, "127.0.0.1");
  await new Promise((resolve) => api.once("listening", resolve));
  servers.push({ close: () => new Promise((resolve) => api.close(resolve)) });
  const target = `http://127.0.0.1:${api.address().port}`;
  const vite = await createServer({
    configFile: false,
    root: import.meta.dirname,
    logLevel: "silent",
    server: { host: "127.0.0.1", port, strictPort: port !== 0, proxy: { "/api": { target, ...proxy } } },
  });
  await vite.listen();
  servers.push(vite);
  return new URL(vite.resolvedUrls.local[0]).origin;
}

let n = 0;
/** What a page at `origin` gets for a send through Vite's /api. */
async function sendFrom(origin) {
  n += 1;
  const response = await fetch(`${origin}/api/otp/send`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: origin },
    body: JSON.stringify({
      mobile: `0532 444 ${String(process.pid % 100).padStart(2, "0")} ${String(n).padStart(2, "0")}`,
    }),
  });
  return { status: response.status, ...(await response.json()) };
}

test("the README's Vite proxy (Host kept, Vite's default): sent, no allowedOrigins needed", async () => {
  const origin = await behindVite({});
  const answer = await sendFrom(origin);
  assert.equal(answer.status, 200, JSON.stringify(answer));
  assert.equal(answer.result_code, "TS-1024");
});

test("with changeOrigin: true the refusal names the page's origin and allowedOrigins; adding it works", async () => {
  const refusedAt = await behindVite({ changeOrigin: true });
  const refused = await sendFrom(refusedAt);
  assert.equal(refused.status, 403);
  assert.equal(refused.result_code, "ORIGIN_NOT_ALLOWED");
  assert.ok(refused.result_message.includes(refusedAt), refused.result_message);
  assert.match(refused.result_message, /allowedOrigins/);
  // The fix the message names, for a dev server whose origin is known in advance.
  const port = await freePort();
  const origin = await behindVite({ changeOrigin: true }, { allowedOrigins: [`http://127.0.0.1:${port}`] }, port);
  const sent = await sendFrom(origin);
  assert.equal(sent.status, 200, JSON.stringify(sent));
});
