// The attacker's pass over the pumping guard, through createOtpHandler (as an attacker uses it)
// on memoryStore against the sandbox, with the default limits. What is measured here is what
// docs/OPERATIONS.md ("The guard as a weapon") and docs/SECURITY.md say; the store-level findings
// run on all three stores in tests/stores/.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createOtpHandler, memoryStore } from "turkeysms-otp";
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
