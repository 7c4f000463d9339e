// redisStore against a real redis-server (Debian's, installed by scripts/setup.sh) that this file
// starts on a free loopback port and stops at the end. Two node-redis clients stand for two
// instances of the handler sharing one Redis. Runs inside build/consumer (scripts/test-js.sh),
// where `redis` resolves to the repo's node_modules.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "redis";
import { createOtpHandler, redisStore, verifyOtpToken } from "turkeysms-otp";
import { requestsFor, startSandbox } from "../js/helpers.mjs";
import { runStoreConformance } from "./conformance.js";
import { startRedis } from "./redis-server.mjs";
import { runVerifyFlow, VERIFY_FLOW_ROWS } from "./verify-flow.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client that fails fast when Redis is gone: no offline queue, a few reconnects, then closed. */
async function connectClient(port, errors) {
  const client = createClient({
    socket: {
      host: "127.0.0.1",
      port,
      connectTimeout: 1_000,
      reconnectStrategy: (retries, cause) => (retries >= 5 ? cause : 100),
    },
    disableOfflineQueue: true,
  });
  client.on("error", (err) => errors.push(err));
  await client.connect();
  return client;
}

/** Settles `promise`, or gives "pending" after `ms`: { status, value | reason | undefined, ms }. */
async function settleWithin(promise, ms) {
  const started = Date.now();
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ status: "pending" }), ms);
  });
  const settled = promise.then(
    (value) => ({ status: "fulfilled", value }),
    (reason) => ({ status: "rejected", reason }),
  );
  const result = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return { ...result, ms: Date.now() - started };
}

let redis;
const clients = [];
const clientErrors = [];
const unique = () => `t-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

before(async () => {
  redis = await startRedis();
  clients.push(await connectClient(redis.port, clientErrors), await connectClient(redis.port, clientErrors));
});

after(async () => {
  for (const client of clients) {
    if (client.isOpen) client.destroy();
  }
  if (redis?.running) await redis.stop("SIGKILL");
});

describe("two handler instances sharing one Redis", () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox({ rateLimit: 1_000_000 });
  });
  after(() => sandbox.close());
  const instances = () =>
    clients.map((client) =>
      createOtpHandler({
        apiKey: "redis-handler-SECRET",
        baseUrl: sandbox.url,
        maxRetries: 0,
        store: redisStore(client, { prefix: "shared-handler:" }),
      }),
    );
  const post = (handle, mobile) =>
    handle(
      new Request("http://h/otp/send", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ mobile }),
      }),
    ).then(async (r) => (await r.json()).result_code);

  test("20 requests at once for one number, spread over both instances, send exactly one SMS", async () => {
    const [a, b] = instances();
    const wire = `90539${String(Date.now() % 10_000_000).padStart(7, "0")}`;
    const codes = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 ? a : b, `+${wire}`)));
    assert.equal(codes.filter((c) => c === "TS-1024").length, 1, codes.join());
    assert.ok(
      codes.filter((c) => c !== "TS-1024").every((c) => c === "COOLDOWN"),
      codes.join(),
    );
    assert.equal((await requestsFor(sandbox, wire)).length, 1);
  });

  test("a cooldown started through one instance holds in the other", async () => {
    const [a, b] = instances();
    const wire = `90539${String((Date.now() + 7) % 10_000_000).padStart(7, "0")}`;
    assert.equal(await post(a, `+${wire}`), "TS-1024");
    assert.equal(await post(b, `+${wire}`), "COOLDOWN");
  });
});

describe("verify over Redis: two handler instances, each with its own client", () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox({ rateLimit: 1_000_000 });
  });
  after(() => sandbox.close());

  test("every branch of /otp/verify", async (t) => {
    let turn = 0;
    const prefix = `${unique()}:`;
    const rows = await runVerifyFlow({
      makeHandler: (config) =>
        createOtpHandler({
          apiKey: "redis-verify-SECRET",
          baseUrl: sandbox.url,
          store: redisStore(clients[turn++ % 2], { prefix }),
          ...config,
        }),
      sandboxUrl: sandbox.url,
      verifyOtpToken,
      seed: process.pid + Date.now(),
    });
    assert.deepEqual(
      rows.map((r) => r.name),
      VERIFY_FLOW_ROWS,
    );
    for (const row of rows) await t.test(row.name, () => assert.ok(row.ok, row.detail));
  });

  test("after a send, no key or value in Redis holds the code in clear", async () => {
    const [client] = clients;
    const prefix = `${unique()}:`;
    const handle = createOtpHandler({
      apiKey: "redis-clear-SECRET",
      baseUrl: sandbox.url,
      store: redisStore(client, { prefix }),
      verify: { secret: "a-secret-of-at-least-32-bytes-long!" },
    });
    // A number that happens to contain the code would be in the keys by itself: take another.
    let wire;
    let code;
    for (let i = 0; !code || wire.includes(code); i++) {
      wire = `90537${String((Date.now() + i) % 10_000_000).padStart(7, "0")}`;
      const response = await handle(
        new Request("http://h/otp/send", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ mobile: `+${wire}` }),
        }),
      );
      assert.equal(response.status, 200);
      const { messages } = await (await fetch(`${sandbox.url}/sandbox/messages?mobile=${wire}`)).json();
      code = messages.at(-1).code;
    }
    const dump = [];
    for await (const keys of client.scanIterator({ MATCH: "*", COUNT: 1000 })) {
      for (const key of [keys].flat()) {
        const type = await client.type(key);
        const value = type === "hash" ? await client.hGetAll(key) : type === "string" ? await client.get(key) : type;
        dump.push([key, value]);
      }
    }
    const ours = dump.filter(([key]) => key.startsWith(prefix));
    assert.ok(
      ours.some(([key]) => key === `${prefix}code:${wire}`),
      `the pending code's key is there: ${JSON.stringify(ours)}`,
    );
    const text = JSON.stringify(dump);
    assert.ok(!text.includes(code), `the code ${code} is nowhere in ${dump.length} keys and their values`);
    const pending = Object.fromEntries(ours)[`${prefix}code:${wire}`];
    assert.match(pending.h, /^[A-Za-z0-9_-]{43}$/, "a 32-byte HMAC, base64url");
  });
});

describe("redisStore", () => {
  test("passes the store conformance suite, shared between two clients", async (t) => {
    let turn = 0;
    const rows = await runStoreConformance(() => redisStore(clients[turn++ % 2]), { shared: true });
    assert.ok(rows.length > 0, "the conformance suite gave no row");
    for (const row of rows) {
      await t.test(row.name, () => assert.ok(row.ok, row.detail));
    }
  });

  test("keys carry the prefix and expire by themselves; release and later counts keep the window", async () => {
    const [client] = clients;
    const prefix = `${unique()}:`;
    const store = redisStore(client, { prefix });
    const counter = { key: "mobile:905551112233", limit: 3, windowMs: 60_000 };
    assert.deepEqual(await store.reserve([counter]), { ok: true });
    assert.deepEqual(await client.keys(`${prefix}*`), [`${prefix}${counter.key}`]);
    assert.equal(await client.exists(counter.key), 0, "nothing written without the prefix");
    assert.equal(await client.get(`${prefix}${counter.key}`), "1");
    const ttl = await client.pTTL(`${prefix}${counter.key}`);
    assert.ok(ttl > 0 && ttl <= 60_000, `PTTL ${ttl}`);
    await store.release([counter]);
    assert.equal(await client.get(`${prefix}${counter.key}`), "0");
    const ttlAfter = await client.pTTL(`${prefix}${counter.key}`);
    assert.ok(ttlAfter > 0 && ttlAfter <= ttl, `PTTL after release ${ttlAfter}, before ${ttl}`);
    // Counting again after a release to zero stays in the same window: it does not start a new one.
    await sleep(20);
    assert.deepEqual(await store.reserve([counter]), { ok: true });
    const ttlAgain = await client.pTTL(`${prefix}${counter.key}`);
    assert.ok(ttlAgain > 0 && ttlAgain < ttlAfter, `PTTL after a new count ${ttlAgain}, after release ${ttlAfter}`);
  });

  test('the default prefix is "turkeysms-otp:"', async () => {
    const [client] = clients;
    const key = unique();
    await redisStore(client).reserve([{ key, limit: 1, windowMs: 60_000 }]);
    assert.equal(await client.get(`turkeysms-otp:${key}`), "1");
    assert.ok((await client.pTTL(`turkeysms-otp:${key}`)) > 0);
  });

  test("a refusal names the key as given and counts nothing; a limit of 0 refuses for windowMs", async () => {
    const [client] = clients;
    const prefix = `${unique()}:`;
    const store = redisStore(client, { prefix });
    const open = { key: "open", limit: 5, windowMs: 60_000 };
    const closed = { key: "closed", limit: 0, windowMs: 30_000 };
    assert.deepEqual(await store.reserve([open, closed]), { ok: false, key: "closed", retryAfterMs: 30_000 });
    assert.equal(await client.exists(`${prefix}open`), 0);
    assert.equal(await client.exists(`${prefix}closed`), 0);
  });

  test("a stopped Redis makes reserve and release reject, never resolve ok", async () => {
    const [a, b] = clients;
    const store = redisStore(a);
    const counter = { key: unique(), limit: 100, windowMs: 60_000 };
    assert.deepEqual(await store.reserve([counter]), { ok: true });

    // One reservation in flight when the server goes: pause client a so its EVAL waits there.
    await b.sendCommand(["CLIENT", "PAUSE", "10000", "ALL"]);
    const inFlight = settleWithin(store.reserve([counter]), 5_000);
    await sleep(100);
    const exit = await redis.stop("SIGTERM");
    assert.ok(exit.code === 0 || exit.signal === "SIGTERM", `redis-server exit ${JSON.stringify(exit)}`);

    const during = await inFlight;
    assert.equal(during.status, "rejected", `in flight: ${JSON.stringify(during)}`);

    const results = [await settleWithin(store.reserve([counter]), 5_000)];
    for (let i = 0; i < 5; i++) {
      await sleep(200);
      results.push(await settleWithin(redisStore(i % 2 ? a : b).reserve([counter]), 5_000));
    }
    const release = await settleWithin(store.release([counter]), 5_000);
    const summary = JSON.stringify(
      [during, ...results, release].map((r) => [r.status, r.ms, r.reason?.constructor?.name, r.reason?.message]),
    );
    for (const r of [...results, release]) assert.equal(r.status, "rejected", summary);
    for (const r of [during, ...results, release]) assert.ok(r.ms < 5_000, summary);
    assert.ok(clientErrors.length > 0, "the clients reported the lost connection");
    console.log(`stopped Redis: ${summary}`);
  });
});
