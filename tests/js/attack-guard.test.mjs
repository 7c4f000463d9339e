// The attacker's pass over the pumping guard, through createOtpHandler (as an attacker uses it)
// on memoryStore against the sandbox, with the default limits. What is measured here is what
// docs/OPERATIONS.md ("The guard as a weapon") and docs/SECURITY.md say; the store-level findings
// run on all three stores in tests/stores/.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createOtpHandler, createOtpService, memoryStore } from "turkeysms-otp";
import { inboxOf, startSandbox, uniqueKey } from "./helpers.mjs";

const SECRET = randomBytes(32).toString("base64");
let sandbox;
before(async () => {
  sandbox = await startSandbox({ rateLimit: 1_000_000 });
});
after(() => sandbox.close());

const call = async (handle, path, body, ip) => {
  const response = await handle(
    new Request(`https://shop.test${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, retryAfter: response.headers.get("retry-after"), ...(await response.json()) };
};
/** The default guard and limits (per-IP 20 an hour, 60 a minute in all, no Turnstile). */
const defaults = () =>
  createOtpHandler({
    apiKey: uniqueKey("guard-attack"),
    baseUrl: sandbox.url,
    store: memoryStore(),
    trustProxy: "cloudflare",
    verify: { secret: SECRET },
    guard: {},
  });
let ranges = 0;
/** A fresh 8-digit range (the default prefixDigits) of this run: `n` is the number in it. */
const rangeOf = () => {
  ranges += 1;
  const range = `9054${String((process.pid * 7 + ranges) % 10_000).padStart(4, "0")}`;
  return (n) => `${range}${String(n).padStart(4, "0")}`;
};

describe("G1. the suspension as a weapon", () => {
  test("one address, 20 codes to a range and nothing typed back, refuses the whole range for an hour, the person who has just typed a code back included", async () => {
    const handle = defaults();
    const number = rangeOf();
    // A person in the range signs in and types the code back.
    const person = number(1);
    assert.equal((await call(handle, "/otp/send", { mobile: person }, "192.0.2.20")).result_code, "TS-1024");
    const code = (await inboxOf(sandbox, person)).at(-1).code;
    assert.equal((await call(handle, "/otp/verify", { mobile: person, code }, "192.0.2.20")).result_code, "VERIFIED");
    // The attacker: one address, one code to each of 20 other numbers of the range, none typed back.
    const answers = [];
    for (let n = 100; n < 120; n++) {
      answers.push((await call(handle, "/otp/send", { mobile: number(n) }, "198.51.100.20")).result_code);
    }
    // minSends (20) sends in the window, the person's among them: the attacker's 20th starts it.
    assert.deepEqual(answers, [...Array(19).fill("TS-1024"), "PREFIX_SUSPENDED"]);
    const again = await call(handle, "/otp/send", { mobile: person }, "192.0.2.20");
    assert.equal(again.result_code, "PREFIX_SUSPENDED", "the person who verified is refused with the range");
    assert.equal(again.retryAfter, "3600");
    const stranger = await call(handle, "/otp/send", { mobile: number(9999) }, "203.0.113.20");
    assert.equal(stranger.result_code, "PREFIX_SUSPENDED");
  });

  test("a refusal by a suspended range costs the caller nothing: answering 'known' numbers past it would be a free oracle of who uses the site", async () => {
    const handle = defaults();
    const number = rangeOf();
    for (let n = 0; n < 21; n++) await call(handle, "/otp/send", { mobile: number(n) }, "198.51.100.21");
    // A prober from one fresh address asks for 200 numbers of the suspended range (10 times its
    // per-IP budget): each is refused and none is counted...
    const probes = new Set();
    for (let n = 1000; n < 1200; n++) {
      probes.add((await call(handle, "/otp/send", { mobile: number(n) }, "198.51.100.22")).result_code);
    }
    assert.deepEqual([...probes], ["PREFIX_SUSPENDED"]);
    // ...so its whole per-IP budget is still there. Were a number that verified recently let past
    // the suspension, these 200 answers would tell which of the 200 numbers use the site, free.
    const other = rangeOf();
    const spent = [];
    for (let n = 0; n < 21; n++) {
      spent.push((await call(handle, "/otp/send", { mobile: other(n) }, "198.51.100.22")).result_code);
    }
    assert.deepEqual(spent, [...Array(20).fill("TS-1024"), "IP_LIMIT"]);
  });
});

describe("G2. spraying ranges", () => {
  test("stats() lists the 100 ranges with most sends by default ({ limit } for more or fewer); the countries and the count are of all", async () => {
    const store = memoryStore();
    const service = createOtpService({
      apiKey: uniqueKey("spray"),
      store,
      namespace: "spray",
      verify: { secret: SECRET },
      guard: {},
    });
    // 1 000 ranges with one send each, and range 0 with three: a spray, as the store holds it.
    const guard = { minConversion: 0.2, suspendMs: 3_600_000, list: "spray:guards" };
    const range = (i) => ({
      key: `spray:guard:9054${String(i).padStart(4, "0")}`,
      limit: 20,
      windowMs: 3_600_000,
      guard,
    });
    for (let i = 0; i < 1000; i++) await store.reserve([range(i)], Date.now());
    await store.reserve([range(0)], Date.now());
    await store.reserve([range(0)], Date.now());
    const stats = await service.stats();
    assert.equal(stats.ranges, 1000);
    assert.equal(stats.prefixes.length, 100);
    assert.deepEqual(stats.prefixes[0], {
      prefix: "90540000",
      country: "90",
      sends: 3,
      verified: 0,
      conversion: 0,
      suspendedForMs: 0,
    });
    assert.deepEqual(stats.countries, [{ country: "90", sends: 1002, verified: 0, conversion: 0 }]);
    assert.equal((await service.stats({ limit: 2000 })).prefixes.length, 1000);
    assert.deepEqual((await service.stats({ limit: 0 })).prefixes, []);
    for (const limit of [-1, 1.5, "10", Number.NaN]) {
      await assert.rejects(service.stats({ limit }), (e) => e.code === "INVALID_OPTIONS" && e.field === "limit");
    }
  });

  test("memoryStore: a send to a new number in a new range holds 3 counters with the guard, 2 without", async () => {
    const sizes = [];
    for (const guard of [undefined, {}]) {
      const store = memoryStore();
      const service = createOtpService({
        apiKey: uniqueKey("spray-memory"),
        baseUrl: sandbox.url,
        store,
        verify: { secret: SECRET },
        ...(guard && { guard }),
      });
      const number = rangeOf();
      const other = rangeOf();
      await service.send({ mobile: number(1), clientIp: "192.0.2.30" });
      const first = store.size;
      await service.send({ mobile: other(1), clientIp: "192.0.2.30" });
      sizes.push(store.size - first);
    }
    assert.deepEqual(sizes, [2, 3], "cooldown and number; and the range's record");
  });
});
