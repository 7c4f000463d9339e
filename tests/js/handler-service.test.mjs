// createOtpHandler's `service`: the service behind the routes, on the same store and namespace,
// so an operator reads stats() (or a job sends) next to the handler without wiring a second one.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { createOtpHandler, memoryStore } from "turkeysms-otp";
import { startSandbox, uniqueKey, uniqueMobile } from "./helpers.mjs";

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

test("handle.service sees what the routes counted: stats() after a send over HTTP, and sends of its own", async () => {
  const handle = createOtpHandler({
    apiKey: uniqueKey("handler-service"),
    baseUrl: sandbox.url,
    store: memoryStore(),
    verify: { secret: randomBytes(32).toString("base64") },
    guard: {},
  });
  assert.deepEqual(Object.keys(handle.service).sort(), ["check", "send", "stats", "status", "webhook"]);
  const mobile = uniqueMobile();
  const response = await handle(
    new Request("https://shop.test/otp/send", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ mobile }),
    }),
  );
  assert.equal(response.status, 200);
  const range = mobile.slice(0, 8);
  const before = (await handle.service.stats()).prefixes.find((p) => p.prefix === range);
  assert.deepEqual([before?.sends, before?.verified], [1, 0], "the route's send is in the service's stats");
  // The same cooldown: the service is the handler's, not a second one beside it.
  await assert.rejects(handle.service.send({ mobile }), { code: "COOLDOWN", status: 429 });
  const other = `${mobile.slice(0, 8)}${String((Number(mobile.slice(8)) + 5000) % 10000).padStart(4, "0")}`;
  assert.equal((await handle.service.send({ mobile: other })).mobile, other);
  const after = (await handle.service.stats()).prefixes.find((p) => p.prefix === range);
  assert.equal(after.sends, 2);
});
