// redisStore against a real redis-server (Debian's, installed by scripts/setup.sh) that this file
// starts on a free loopback port and stops at the end. Two node-redis clients stand for two
// instances of the handler sharing one Redis. Runs inside build/consumer (scripts/test-js.sh),
// where `redis` resolves to the repo's node_modules.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "redis";
import { createOtpHandler, createOtpService, redisStore, verifyOtpToken } from "turkeysms-otp";
import { inboxOf, requestsFor, startSandbox, uniqueMobile } from "../js/helpers.mjs";
import { runStoreConformance } from "./conformance.js";
import { startRedis, watchCommands } from "./redis-server.mjs";
import { deliveryOverHttp, guardFlowOver, reportRows } from "./serve.mjs";
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
    await reportRows(t, rows, VERIFY_FLOW_ROWS);
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
    // `${prefix}${namespace}:code:${wire}`: the namespace keeps applications apart.
    const codeKey = ours.map(([key]) => key).find((key) => /^[\w-]{16}:code:/.test(key.slice(prefix.length)));
    assert.equal(
      codeKey,
      `${prefix}${codeKey?.slice(prefix.length, prefix.length + 16)}:code:${wire}`,
      JSON.stringify(ours),
    );
    const text = JSON.stringify(dump);
    assert.ok(!text.includes(code), `the code ${code} is nowhere in ${dump.length} keys and their values`);
    const pending = Object.fromEntries(ours)[codeKey];
    assert.match(pending.h, /^[A-Za-z0-9_-]{43}$/, "a 32-byte HMAC, base64url");
  });
});

// The SHA-1 of each script exactly as Redis receives it (SCRIPTS in stores/redis.js: reserve and
// checkCode are counters.lua, "\n", then their own file). A change to a script must change its
// pinned hash here, on purpose: a hash that changes unnoticed means a script that changed unnoticed.
const SCRIPT_SHA1 = {
  reserve: "291236025528ed57e43722d6f15fa62fdc2c65e8",
  release: "9afd1701ac81e19c1a1b80f1ccdf745304ff41f5",
  putCode: "c70ff16901b2b6ba3fe2fa9c09e86e40c598af28",
  checkCode: "f2c4e417c07972dc0ed6c8b38aa470564798216c",
  delivery: "ea091b680f4152e242a8c036f7c06765acb28037",
  deliveryEvent: "747196caa88cb0fd1cb18ffbcf9c393a8fadd075",
  guardStats: "6ee99ef05de02e68ab7ef69bc34a490c328f9ae7",
};
const shaName = Object.fromEntries(Object.entries(SCRIPT_SHA1).map(([name, sha]) => [sha, name]));

/** INFO commandstats: Map name → { calls, failed }. Commands run by scripts are counted too. */
async function commandStats(client) {
  const stats = new Map();
  const lines = (await client.info("commandstats")).matchAll(/^cmdstat_(\S+?):calls=(\d+),.*failed_calls=(\d+)/gm);
  for (const [, name, calls, failed] of lines) stats.set(name, { calls: Number(calls), failed: Number(failed) });
  return stats;
}

// The store's round trips, counted by redis-server: the store gets a connection of its own, and
// MONITOR (watchCommands) tells each command's connection, so the store's commands are exactly
// those of its connection. INFO commandstats, read on another connection, counts EVALSHA (with its
// NOSCRIPT failures) and EVAL; it counts the commands the scripts call too, so its total must be
// the store's commands plus the "lua" ones MONITOR saw: the two views are checked to agree.
describe("delivery over Redis: two instances over HTTP, each with its own client", () => {
  test("a send through one, the sandbox's webhooks into the other, the status read through the first", async (t) => {
    const prefix = `${unique()}:`;
    await deliveryOverHttp(t, {
      storeOf: (i) => redisStore(clients[i], { prefix }),
      apiKey: `delivery-redis-${process.pid}`,
      seed: process.pid + 7,
    });
  });
});

describe("the pumping guard over Redis: a service and a handler, each with its own client", () => {
  test("pumped, typed back and untouched ranges, stats(), concurrency, the end of a suspension", async (t) => {
    const prefix = `${unique()}:`;
    await guardFlowOver(t, {
      storeOf: (i) => redisStore(clients[i], { prefix }),
      apiKey: `guard-redis-${process.pid}`,
      seed: process.pid,
    });
  });
});

// Spraying ranges (attack G2): one send to each of thousands of ranges leaves a record each in
// the namespace's list. One script reading them all blocked every client of Redis while it ran
// (10 000: 35 ms, 100 000: 0.37 s, measured with a PING waiting behind it); guardStats now reads
// them a page a script.
describe("the pumping guard's list after a spray of ranges", () => {
  test("guardStats reads 2 500 ranges in pages (no one script reads them all), each record once", async () => {
    const prefix = `${unique()}:`;
    const store = redisStore(clients[0], { prefix });
    const guard = { minConversion: 0.2, suspendMs: 60_000, list: "ns:guards" };
    const range = (i) => ({ key: `ns:guard:9054${String(i).padStart(4, "0")}`, limit: 20, windowMs: 60_000, guard });
    for (let i = 0; i < 2500; i += 250) {
      await Promise.all(Array.from({ length: 250 }, (_, j) => store.reserve([range(i + j)], Date.now())));
    }
    const monitor = await watchCommands(redis.port);
    try {
      await monitor.drain(clients[1]);
      const records = await store.guardStats("ns:guards", Date.now());
      const seen = await monitor.drain(clients[1]);
      const scripts = seen.filter((c) => c.name === "EVALSHA").length;
      const read = seen.filter((c) => c.source === "lua" && c.name === "HMGET").length;
      assert.equal(records.length, 2500);
      assert.equal(new Set(records.map((r) => r.key)).size, 2500, "each range once");
      assert.ok(records.every((r) => r.sends === 1 && r.verified === 0 && r.suspendedForMs === 0));
      assert.ok(scripts >= 3, `${scripts} scripts for 2 500 records, at most 1 000 each`);
      assert.ok(read >= 2500 && read < 2500 * 1.2, `${read} records read: each about once`);
    } finally {
      monitor.close();
    }
  });
});

describe("redisStore's round trips, counted by redis-server itself", () => {
  const errors = [];
  let sandbox;
  let storeClient; // the store's own connection: every command on it is one of the store's round trips
  let observer; // INFO, SCRIPT and the MONITOR markers
  let monitor;
  let storeAddress;
  let observerAddress;
  let prefix;
  let store;
  let service;

  before(async () => {
    sandbox = await startSandbox({ rateLimit: 1_000_000 });
    storeClient = await connectClient(redis.port, errors);
    observer = await connectClient(redis.port, errors);
    monitor = await watchCommands(redis.port);
    const addressOf = async (client) => /(?:^| )addr=(\S+)/.exec(await client.sendCommand(["CLIENT", "INFO"]))[1];
    storeAddress = await addressOf(storeClient);
    observerAddress = await addressOf(observer);
    prefix = `${unique()}:`;
    store = redisStore(storeClient, { prefix });
    service = createOtpService({
      apiKey: "redis-trips-SECRET",
      baseUrl: sandbox.url,
      store,
      cooldownMs: 0,
      namespace: "trips", // a known namespace, so the test can name the keys
      verify: { secret: "Qm7Tz2Vb9Lx4Kw1Rj8Hd5Ns3Gf6Yc0Pe" },
    });
  });

  after(async () => {
    monitor?.close();
    for (const client of [storeClient, observer]) if (client?.isOpen) client.destroy();
    await sandbox?.close();
  });

  const clientIp = "203.0.113.7";
  /** Sends a code to a new number: { mobile, code } (the code read from the sandbox's inbox). */
  async function sent() {
    const wire = uniqueMobile();
    const { mobile } = await service.send({ mobile: `+${wire}`, clientIp });
    const code = (await inboxOf(sandbox, wire)).at(-1).code;
    return { mobile, code };
  }
  const wrong = (code) => code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10);
  const check = (mobile, code) => service.check({ mobile, code, clientIp });

  /**
   * Runs `work` and tells what Redis ran for it: the store's commands (MONITOR, on the store's
   * connection only), the commands its scripts called, and the INFO commandstats deltas.
   */
  async function measure(work) {
    await monitor.drain(observer); // what came before is not this work's
    const before = await commandStats(observer);
    const outcome = await work().then(
      (value) => ({ value }),
      (error) => ({ error }),
    );
    const after = await commandStats(observer);
    const seen = await monitor.drain(observer);
    const delta = (name, field = "calls") => (after.get(name)?.[field] ?? 0) - (before.get(name)?.[field] ?? 0);
    const names = new Set([...before.keys(), ...after.keys()]);
    const commands = seen.filter((c) => c.source === storeAddress);
    const inScripts = seen.filter((c) => c.source === "lua");
    const others = seen.filter((c) => ![storeAddress, observerAddress, "lua"].includes(c.source));
    assert.deepEqual(others, [], "no other connection ran a command meanwhile");
    assert.deepEqual(
      seen.filter((c) => c.source === observerAddress).map((c) => c.name),
      ["INFO", "INFO"],
      "the observer ran its two INFOs only",
    );
    // Between its two snapshots INFO counted the first INFO, the store's commands and their scripts'.
    assert.equal(delta("info"), 1);
    const total = [...names].reduce((sum, name) => sum + delta(name), 0) - 1;
    assert.equal(total, commands.length + inScripts.length, "INFO commandstats and MONITOR saw the same commands");
    return {
      ...outcome,
      trips: commands.length,
      commands: commands.map((c) => (c.name === "EVALSHA" ? `EVALSHA ${shaName[c.args[0]] ?? c.args[0]}` : c.name)),
      argv: commands.map((c) => c.args),
      evalsha: delta("evalsha"),
      noscript: delta("evalsha", "failed"),
      eval: delta("eval"),
      inScripts: inScripts.map((c) => c.name),
    };
  }

  /** One of each operation on new numbers, so that every script the service runs is loaded. */
  async function warmUp() {
    const a = await sent();
    await assert.rejects(check(a.mobile, wrong(a.code)), { code: "CODE_INVALID" });
    assert.deepEqual(await check(a.mobile, a.code), { mobile: a.mobile });
    await assert.rejects(check(`+${uniqueMobile()}`, a.code), { code: "CODE_INVALID" });
  }

  test("the seven scripts are in Redis under their pinned SHA-1s once the store has run them", async () => {
    const pinned = Object.values(SCRIPT_SHA1);
    await observer.scriptFlush();
    assert.deepEqual(await observer.scriptExists(pinned), [0, 0, 0, 0, 0, 0, 0], "none is loaded after SCRIPT FLUSH");
    const used = await measure(async () => {
      await warmUp();
      await store.release([{ key: `release:${unique()}`, limit: 1, windowMs: 60_000 }]);
      assert.equal(await store.delivery(`send:${unique()}`, Date.now()), null);
      const event = await store.deliveryEvent(`sms:${unique()}`, "SENT", `event:${unique()}`, 60_000, Date.now());
      assert.deepEqual(event, { result: "unknown" });
      assert.deepEqual(await store.guardStats(`guards:${unique()}`, Date.now()), []);
    });
    assert.deepEqual(await observer.scriptExists(pinned), [1, 1, 1, 1, 1, 1, 1], JSON.stringify(used.commands));
    assert.deepEqual(
      new Set(used.argv.filter((_, i) => used.commands[i].startsWith("EVALSHA")).map((args) => args[0])),
      new Set(pinned),
      `the store called EVALSHA with the pinned hashes, and no other: ${JSON.stringify(used.commands)}`,
    );
  });

  test("steady state: a send is 2 round trips, a wrong, a right and a nothing-pending check 1 each", async () => {
    await warmUp();
    const send = await measure(() => sent());
    assert.ok(send.value?.code, String(send.error));
    const { mobile, code } = send.value;
    const wrongCheck = await measure(() => check(mobile, wrong(code)));
    const rightCheck = await measure(() => check(mobile, code));
    const nothing = await measure(() => check(`+${uniqueMobile()}`, code));
    assert.equal(wrongCheck.error?.code, "CODE_INVALID");
    assert.deepEqual(rightCheck.value, { mobile });
    assert.equal(nothing.error?.code, "CODE_INVALID");

    assert.deepEqual(send.commands, ["EVALSHA reserve", "EVALSHA putCode"]);
    assert.deepEqual(wrongCheck.commands, ["EVALSHA checkCode"]);
    assert.deepEqual(rightCheck.commands, ["EVALSHA checkCode"]);
    assert.deepEqual(nothing.commands, ["EVALSHA checkCode"]);
    for (const [name, m, trips] of [
      ["send", send, 2],
      ["wrong check", wrongCheck, 1],
      ["right check", rightCheck, 1],
      ["nothing pending", nothing, 1],
    ]) {
      assert.deepEqual(
        { trips: m.trips, evalsha: m.evalsha, noscript: m.noscript, eval: m.eval },
        { trips, evalsha: trips, noscript: 0, eval: 0 },
        `${name}: ${JSON.stringify(m.commands)}`,
      );
    }
    console.log(
      `redis round trips: send ${send.trips}, wrong check ${wrongCheck.trips}, right check ${rightCheck.trips}, nothing pending ${nothing.trips}`,
    );
  });

  test("with the pumping guard a send is still 2 round trips and a right check 1; stats() is 1", async () => {
    const guarded = createOtpService({
      apiKey: "redis-trips-SECRET",
      baseUrl: sandbox.url,
      store: redisStore(storeClient, { prefix: `${unique()}:` }), // the same connection, its own keys
      cooldownMs: 0,
      namespace: "trips-guard",
      verify: { secret: "Qm7Tz2Vb9Lx4Kw1Rj8Hd5Ns3Gf6Yc0Pe" },
      guard: {},
    });
    const wire = uniqueMobile();
    const warm = await guarded.send({ mobile: `+${wire}`, clientIp }); // loads nothing new: same scripts
    await guarded.check({ mobile: warm.mobile, code: (await inboxOf(sandbox, wire)).at(-1).code, clientIp });
    const other = uniqueMobile();
    const send = await measure(() => guarded.send({ mobile: `+${other}`, clientIp }));
    const code = (await inboxOf(sandbox, other)).at(-1).code;
    const right = await measure(() => guarded.check({ mobile: `+${other}`, code, clientIp }));
    const stats = await measure(() => guarded.stats());
    assert.deepEqual(send.commands, ["EVALSHA reserve", "EVALSHA putCode"], String(send.error));
    assert.deepEqual(right.commands, ["EVALSHA checkCode"], String(right.error));
    assert.deepEqual(stats.commands, ["EVALSHA guardStats"], String(stats.error));
    // Both numbers share a range (uniqueMobile's first 8 digits): two sends, two typed back.
    const [range] = stats.value.prefixes;
    assert.deepEqual(range, {
      prefix: other.slice(0, 8),
      country: "90",
      sends: 2,
      verified: 2,
      conversion: 1,
      suspendedForMs: 0,
    });
    assert.ok(send.inScripts.includes("HINCRBY") && right.inScripts.includes("HINCRBY"), "counted in the scripts");
    console.log(
      `redis round trips with guard: send ${send.trips}, right check ${right.trips}, stats ${stats.trips} (${stats.inScripts.length} calls in the script)`,
    );
  });

  test("after SCRIPT FLUSH each script's first call loads it (SCRIPT LOAD) and calls it again, then EVALSHA only", async () => {
    await warmUp();
    await observer.scriptFlush();
    const first = await measure(() => sent());
    assert.ok(first.value?.code, String(first.error));
    const { mobile, code } = first.value;
    const firstCheck = await measure(() => check(mobile, wrong(code)));
    const rightCheck = await measure(() => check(mobile, code));
    const second = await measure(() => sent());
    assert.equal(firstCheck.error?.code, "CODE_INVALID");
    assert.deepEqual(rightCheck.value, { mobile });
    assert.ok(second.value?.code, String(second.error));
    const nextCheck = await measure(() => check(second.value.mobile, second.value.code));
    assert.deepEqual(nextCheck.value, { mobile: second.value.mobile });

    const counts = (m) => ({ commands: m.commands, evalsha: m.evalsha, noscript: m.noscript, eval: m.eval });
    assert.deepEqual(counts(first), {
      commands: ["EVALSHA reserve", "SCRIPT", "EVALSHA reserve", "EVALSHA putCode", "SCRIPT", "EVALSHA putCode"],
      evalsha: 4,
      noscript: 2,
      eval: 0,
    });
    assert.deepEqual(counts(firstCheck), {
      commands: ["EVALSHA checkCode", "SCRIPT", "EVALSHA checkCode"],
      evalsha: 2,
      noscript: 1,
      eval: 0,
    });
    assert.deepEqual(counts(rightCheck), { commands: ["EVALSHA checkCode"], evalsha: 1, noscript: 0, eval: 0 });
    assert.deepEqual(counts(second), {
      commands: ["EVALSHA reserve", "EVALSHA putCode"],
      evalsha: 2,
      noscript: 0,
      eval: 0,
    });
    assert.deepEqual(counts(nextCheck), { commands: ["EVALSHA checkCode"], evalsha: 1, noscript: 0, eval: 0 });
    console.log(
      `redis after SCRIPT FLUSH: send ${first.trips} (${first.noscript} NOSCRIPT, each then SCRIPT LOAD), check ${firstCheck.trips}; then send ${second.trips}, check ${rightCheck.trips}`,
    );
  });

  test("a wrong check of a live code and a check with nothing pending: the same one EVALSHA, and the latter writes nothing", async () => {
    await warmUp();
    /** This store's keys and their values (counters' counts, codes' fields). */
    const state = async () => {
      const found = {};
      for await (const batch of observer.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
        for (const key of [batch].flat()) {
          found[key] = (await observer.type(key)) === "hash" ? await observer.hGetAll(key) : await observer.get(key);
        }
      }
      return found;
    };
    const live = await sent();
    const none = `+${uniqueMobile()}`;
    const stateBefore = await state();
    const wrongCheck = await measure(() => check(live.mobile, wrong(live.code)));
    const stateBetween = await state();
    const nothing = await measure(() => check(none, wrong(live.code)));
    const stateAfter = await state();

    assert.equal(wrongCheck.error?.code, "CODE_INVALID");
    assert.equal(nothing.error?.code, "CODE_INVALID");
    assert.equal(nothing.error?.message, wrongCheck.error?.message, "answered alike");
    for (const m of [wrongCheck, nothing]) {
      assert.deepEqual(m.commands, ["EVALSHA checkCode"]);
      assert.deepEqual([m.evalsha, m.eval], [1, 0]);
    }
    const [wrongArgs] = wrongCheck.argv;
    const [noneArgs] = nothing.argv;
    assert.equal(noneArgs[0], SCRIPT_SHA1.checkCode);
    assert.equal(wrongArgs[0], SCRIPT_SHA1.checkCode);
    assert.equal(noneArgs.length, wrongArgs.length, "as many keys and arguments");
    assert.equal(noneArgs[1], wrongArgs[1], "as many keys");
    // The wrong check counted (so the scan sees writes): its number's checks (a new key), the
    // address's checks and the code's tries. The check with nothing pending counted nothing.
    const ipKey = `${prefix}trips:verify-ip:${clientIp}`;
    const numberKey = `${prefix}trips:verify-number:${live.mobile}`;
    const codeKey = `${prefix}trips:code:${live.mobile}`;
    assert.deepEqual(
      [stateBefore[numberKey], stateBetween[numberKey]],
      [undefined, "1"],
      "the wrong check made its number's counter",
    );
    assert.equal(Number(stateBetween[ipKey]), Number(stateBefore[ipKey]) + 1, "the wrong check counted the address");
    assert.equal(Number(stateBetween[codeKey].n), Number(stateBefore[codeKey].n) + 1, "the wrong check counted a try");
    assert.deepEqual(Object.keys(stateAfter).sort(), Object.keys(stateBetween).sort(), "no key was made");
    assert.deepEqual(stateAfter, stateBetween, "no value changed");
    console.log(
      `redis checks: wrong ${wrongCheck.commands} (${wrongCheck.inScripts.length} calls in the script: ${wrongCheck.inScripts}), nothing pending ${nothing.commands} (${nothing.inScripts.length}: ${nothing.inScripts})`,
    );
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
