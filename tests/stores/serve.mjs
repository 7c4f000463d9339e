// Runs the store flows (delivery-flow.js, guard-flow.js, verify-flow.js) as node:test subtests,
// and serves a fetch-API handler over real HTTP on 127.0.0.1 (node:http with @hono/node-server's
// adapter, as the README shows) for the flows that need two instances on their own ports.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createOtpHandler, createOtpService } from "turkeysms-otp";
import { startSandbox } from "../js/helpers.mjs";
import { DELIVERY_FLOW_ROWS, deliveryConfig, HOOK_SECRET, runDeliveryFlow, SANDBOX_WEBHOOKS } from "./delivery-flow.js";
import { GUARD_FLOW_ROWS, runGuardFlow } from "./guard-flow.js";

/** A flow's rows as subtests of `t`, once the flow is known to have run exactly `names`. */
export async function reportRows(t, rows, names) {
  assert.deepEqual(
    rows.map((r) => r.name),
    names,
  );
  for (const row of rows) await t.test(row.name, () => assert.ok(row.ok, row.detail));
}

/** Resolves to { url, close() }. */
export async function serveHandler(handle) {
  const server = createServer(getRequestListener(handle));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * The delivery flow over real HTTP (tests/stores/delivery-flow.js), run as node:test subtests of
 * `t`: a sandbox posting webhooks, two handlers served on their own ports, one store each as
 * `storeOf(i)` gives (the same store twice, or two clients of one backing store).
 */
export async function deliveryOverHttp(t, { storeOf, apiKey, seed }) {
  const sandbox = await startSandbox({ rateLimit: 1_000_000, duplicateWindowMs: 0, ...SANDBOX_WEBHOOKS });
  const [a, b] = await Promise.all(
    [0, 1].map((i) => serveHandler(createOtpHandler({ ...deliveryConfig(sandbox.url, apiKey), store: storeOf(i) }))),
  );
  sandbox.setWebhook({ url: `${b.url}/api/webhooks/turkeysms`, secret: HOOK_SECRET });
  try {
    const rows = await runDeliveryFlow({ a: `${a.url}/api`, b: `${b.url}/api`, apiKey, sandbox, seed });
    await reportRows(t, rows, DELIVERY_FLOW_ROWS);
  } finally {
    await Promise.all([a.close(), b.close(), sandbox.close()]);
  }
}

/**
 * The pumping guard's flow (tests/stores/guard-flow.js) as subtests of `t`: a service on
 * `storeOf(0)` and a handler on `storeOf(1)` (one store twice, or two clients of one backing store).
 */
export async function guardFlowOver(t, { storeOf, apiKey, seed }) {
  const sandbox = await startSandbox({ rateLimit: 1_000_000 });
  try {
    const rows = await runGuardFlow({
      makeService: (config) => createOtpService({ baseUrl: sandbox.url, store: storeOf(0), ...config }),
      makeHandler: (config) => createOtpHandler({ baseUrl: sandbox.url, store: storeOf(1), ...config }),
      sandboxUrl: sandbox.url,
      apiKey,
      seed,
    });
    await reportRows(t, rows, GUARD_FLOW_ROWS);
  } finally {
    await sandbox.close();
  }
}
