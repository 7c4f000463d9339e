// The second attack on the verify step, one test per finding, through createOtpHandler (as the
// attacker used it) on memoryStore against the sandbox. Each failed on the handler before the
// service core; the store-level ones also run on Redis and the Durable Object (tests/stores/:
// the conformance suite and the verify flow).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import { createOtpHandler, isOtpError, memoryStore, verifyOtpToken } from "turkeysms-otp";
import { inboxOf, requestsFor, startSandbox, uniqueKey, uniqueMobile } from "./helpers.mjs";

const SECRET = randomBytes(32).toString("base64");
let sandbox;
before(async () => {
  sandbox = await startSandbox({ rateLimit: 1_000_000 });
});
after(() => sandbox.close());

const call = async (handle, path, body, headers = {}) => {
  const response = await handle(
    new Request(`https://shop.test${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, ...(await response.json()) };
};
const lastCode = async (wire) => (await inboxOf(sandbox, wire)).at(-1)?.code;
const wrongFor = (code) => (code === "000000" ? "111111" : "000000");

describe("1. checks with nothing pending", () => {
  test("leave nothing in the store, from any number of addresses: sends keep working", async () => {
    const store = memoryStore({ maxCounters: 1000 });
    const handle = createOtpHandler({
      apiKey: uniqueKey("flood"),
      baseUrl: sandbox.url,
      store,
      trustProxy: "x-forwarded-for",
      verify: { secret: SECRET },
    });
    const victim = uniqueMobile();
    // 2,000 checks, each from another /64 of one /46: more than the store can hold.
    const answers = new Set();
    for (let i = 0; i < 2000; i++) {
      const from = `2001:db8:${(0x40 + (i >> 12)).toString(16)}:${(i & 0xfff).toString(16)}::1`;
      answers.add(
        (await call(handle, "/otp/verify", { mobile: victim, code: "123456" }, { "X-Forwarded-For": from }))
          .result_code,
      );
    }
    assert.deepEqual([...answers], ["CODE_INVALID"]);
    assert.equal(store.size, 0, "no counter was made");
    const sent = await call(handle, "/otp/send", { mobile: uniqueMobile() }, { "X-Forwarded-For": "198.51.100.7" });
    assert.equal(sent.result_code, "TS-1024");
  });

  test("an IPv6 client counts per /64 and per /48: a home /56 is not 256 budgets", async () => {
    const handle = createOtpHandler({
      apiKey: uniqueKey("site"),
      baseUrl: sandbox.url,
      trustProxy: "cloudflare",
      cooldownMs: 0,
      perIp: { limit: 1 },
    });
    const codes = [];
    for (let i = 0; i < 6; i++) {
      const from = { "CF-Connecting-IP": `2001:db8:5:${(0x4500 + i).toString(16)}::1` };
      codes.push((await call(handle, "/otp/send", { mobile: uniqueMobile() }, from)).result_code);
    }
    // One per /64, and the /48 holds 4 times the per-IP limit.
    assert.deepEqual(codes, ["TS-1024", "TS-1024", "TS-1024", "TS-1024", "IP_LIMIT", "IP_LIMIT"]);
  });
});

describe("9. a number whose checks are used up", () => {
  test("gets no SMS it could not check: the send is refused (NUMBER_LIMIT) before anything is billed", async () => {
    const handle = createOtpHandler({
      apiKey: uniqueKey("used-up"),
      baseUrl: sandbox.url,
      cooldownMs: 0,
      verify: { secret: SECRET, perNumber: { limit: 2 } },
    });
    const wire = uniqueMobile();
    await call(handle, "/otp/send", { mobile: wire });
    const code = await lastCode(wire);
    const checks = [];
    for (let i = 0; i < 3; i++)
      checks.push((await call(handle, "/otp/verify", { mobile: wire, code: wrongFor(code) })).result_code);
    assert.deepEqual(checks, ["CODE_INVALID", "CODE_INVALID", "NUMBER_LIMIT"]);
    const billed = (await requestsFor(sandbox, wire)).length;
    const again = await call(handle, "/otp/send", { mobile: wire });
    assert.equal(again.status, 429);
    assert.equal(again.result_code, "NUMBER_LIMIT");
    assert.equal((await requestsFor(sandbox, wire)).length, billed, "nothing reached TurkeySMS");
  });
});

describe("3. a slow TurkeySMS", () => {
  test("one request per counted send: nothing is retried once it may have reached TurkeySMS", async () => {
    const handle = createOtpHandler({ apiKey: "sandbox-hang", baseUrl: sandbox.url, timeoutMs: 300 });
    const wire = uniqueMobile();
    const started = Date.now();
    const answer = await call(handle, "/otp/send", { mobile: wire });
    assert.equal(answer.status, 503);
    assert.equal(answer.result_code, "UNAVAILABLE");
    assert.ok(Date.now() - started < 1500, "answered at once, not after retries");
    assert.equal((await requestsFor(sandbox, wire)).length, 1, "one request reached TurkeySMS, not three");
  });
});

describe("4. secrets that cannot be guessed", () => {
  test("a guessable secret is refused when the handler is made; random base64 and hex pass", () => {
    for (const secret of ["a".repeat(32), "password".repeat(4), "changeme".repeat(4), "😀".repeat(8)]) {
      assert.throws(
        () => createOtpHandler({ apiKey: "k", verify: { secret } }),
        (e) => isOtpError(e) && e.code === "INVALID_CONFIG" && e.field === "verify.secret" && /guessed/.test(e.message),
        secret,
      );
    }
    for (const secret of [randomBytes(32).toString("base64"), randomBytes(32).toString("hex")]) {
      assert.equal(typeof createOtpHandler({ apiKey: "k", verify: { secret } }), "function");
    }
  });

  test("verifyOtpToken refuses a guessable secret, so a token forged with one is never accepted", async () => {
    const weak = "a".repeat(32);
    const forged = await new SignJWT({ sub: "905321234567", jti: "x", token_use: "turkeysms-otp" })
      .setProtectedHeader({ alg: "HS256", typ: "turkeysms-otp+jwt" })
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(weak));
    await assert.rejects(verifyOtpToken(forged, { secret: weak }), (e) => e.code === "INVALID_OPTIONS");
  });

  test("a list of secrets rotates: codes and tokens of the previous secret still pass", async () => {
    const [old, fresh] = [randomBytes(32).toString("base64"), randomBytes(32).toString("base64")];
    const store = memoryStore();
    const apiKey = uniqueKey("rotate");
    const before = createOtpHandler({ apiKey, baseUrl: sandbox.url, store, verify: { secret: old } });
    const after = createOtpHandler({ apiKey, baseUrl: sandbox.url, store, verify: { secret: [fresh, old] } });
    const wire = uniqueMobile();
    await call(before, "/otp/send", { mobile: wire });
    const checked = await call(after, "/otp/verify", { mobile: wire, code: await lastCode(wire) });
    assert.equal(checked.result_code, "VERIFIED", "a code sent before the rotation");
    assert.equal((await verifyOtpToken(checked.token, { secret: [fresh, old] })).mobile, wire);
    assert.equal((await verifyOtpToken(checked.token, { secret: fresh })).mobile, wire, "signed with the newest");
  });
});

describe("5. nothing tells whether a code is pending", () => {
  test("an address whose checks are used up hears IP_LIMIT for every number, pending or not", async () => {
    const handle = createOtpHandler({
      apiKey: uniqueKey("oracle"),
      baseUrl: sandbox.url,
      trustProxy: "cloudflare",
      verify: { secret: SECRET, perIp: { limit: 1 } },
    });
    const [own, live, idle] = [uniqueMobile(), uniqueMobile(), uniqueMobile()];
    const elsewhere = { "CF-Connecting-IP": "192.0.2.200" };
    await call(handle, "/otp/send", { mobile: own }, elsewhere);
    await call(handle, "/otp/send", { mobile: live }, elsewhere);
    const from = { "CF-Connecting-IP": "198.51.100.99" };
    const first = await call(handle, "/otp/verify", { mobile: own, code: wrongFor(await lastCode(own)) }, from);
    const answers = [];
    for (const mobile of [idle, live, idle])
      answers.push((await call(handle, "/otp/verify", { mobile, code: "123456" }, from)).result_code);
    assert.equal(first.result_code, "CODE_INVALID");
    assert.deepEqual(answers, ["IP_LIMIT", "IP_LIMIT", "IP_LIMIT"]);
  });
});

describe("6. DNS rebinding", () => {
  const from = (origin, host) => {
    const handle = createOtpHandler({ apiKey: uniqueKey("rebind"), baseUrl: sandbox.url });
    return handle(
      new Request(`${origin}/otp/send`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: origin, Host: host },
        body: JSON.stringify({ mobile: uniqueMobile() }),
      }),
    ).then(async (r) => (await r.json()).result_code);
  };
  test("a plain-http page on a name that resolves to the server is not the server's own site", async () => {
    assert.equal(await from("http://evil.example", "evil.example"), "ORIGIN_NOT_ALLOWED");
  });
  test("https pages of the server's host and loopback pages are (no configuration)", async () => {
    assert.equal(await from("https://shop.example", "shop.example"), "TS-1024");
    assert.equal(await from("http://localhost:5173", "localhost:5173"), "TS-1024");
    assert.equal(await from("http://127.0.0.1:8080", "127.0.0.1:8080"), "TS-1024");
  });
});

describe("7. tokens of one kind", () => {
  test("another JWT signed with the same secret is refused; the handler's own passes", async () => {
    const other = await new SignJWT({ sub: "905321234567", jti: "session-1" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(SECRET));
    await assert.rejects(verifyOtpToken(other, { secret: SECRET }), (e) => e.code === "TOKEN_INVALID");
    const handle = createOtpHandler({ apiKey: uniqueKey("kind"), baseUrl: sandbox.url, verify: { secret: SECRET } });
    const wire = uniqueMobile();
    await call(handle, "/otp/send", { mobile: wire });
    const { token } = await call(handle, "/otp/verify", { mobile: wire, code: await lastCode(wire) });
    const [header] = token.split(".");
    assert.equal(JSON.parse(Buffer.from(header, "base64url")).typ, "turkeysms-otp+jwt");
    const claims = await verifyOtpToken(token, { secret: SECRET });
    assert.equal(claims.token_use, "turkeysms-otp");
  });
});

describe("8. two applications on one store", () => {
  test("are apart by default: one's wrong guesses and sends cost the other nothing", async () => {
    const store = memoryStore();
    const apiKey = uniqueKey("shared-account");
    const appA = createOtpHandler({
      apiKey,
      baseUrl: sandbox.url,
      store,
      globalPerMinute: 1,
      verify: { secret: SECRET },
    });
    const appB = createOtpHandler({
      apiKey,
      baseUrl: sandbox.url,
      store,
      globalPerMinute: 1,
      verify: { secret: randomBytes(32).toString("base64") },
    });
    const wire = uniqueMobile();
    await call(appA, "/otp/send", { mobile: wire });
    const code = await lastCode(wire);
    const burns = [];
    for (let i = 0; i < 6; i++)
      burns.push((await call(appB, "/otp/verify", { mobile: wire, code: wrongFor(code) })).result_code);
    assert.deepEqual([...new Set(burns)], ["CODE_INVALID"], "app B has nothing pending for the number");
    assert.equal(
      (await call(appB, "/otp/send", { mobile: uniqueMobile() })).result_code,
      "TS-1024",
      "B's own global cap",
    );
    assert.equal((await call(appA, "/otp/verify", { mobile: wire, code })).result_code, "VERIFIED");
  });

  test("share on purpose with one namespace", async () => {
    const store = memoryStore();
    const shared = { apiKey: uniqueKey("ns"), baseUrl: sandbox.url, store, namespace: "shop", globalPerMinute: 1 };
    const [one, two] = [createOtpHandler(shared), createOtpHandler({ ...shared, apiKey: uniqueKey("ns-2") })];
    assert.equal((await call(one, "/otp/send", { mobile: uniqueMobile() })).result_code, "TS-1024");
    assert.equal((await call(two, "/otp/send", { mobile: uniqueMobile() })).result_code, "GLOBAL_LIMIT");
  });
});

describe("the final read", () => {
  test("F1: a caller who may not send learns nothing about any number (its own refusal comes first)", async () => {
    const handle = createOtpHandler({
      apiKey: uniqueKey("f1"),
      baseUrl: sandbox.url,
      trustProxy: "cloudflare",
      perIp: { limit: 1 },
    });
    const victim = uniqueMobile();
    await call(handle, "/otp/send", { mobile: victim }, { "CF-Connecting-IP": "192.0.2.10" });
    const attacker = { "CF-Connecting-IP": "198.51.100.66" };
    await call(handle, "/otp/send", { mobile: uniqueMobile() }, attacker);
    const probes = [];
    for (const mobile of [uniqueMobile(), victim, uniqueMobile()]) {
      probes.push((await call(handle, "/otp/send", { mobile }, attacker)).result_code);
    }
    assert.deepEqual(probes, ["IP_LIMIT", "IP_LIMIT", "IP_LIMIT"], "the victim's COOLDOWN does not show");
  });

  test("F2: sweeping numbers for CODE_EXPIRED costs the caller's check budget", async () => {
    const handle = createOtpHandler({
      apiKey: uniqueKey("f2"),
      baseUrl: sandbox.url,
      trustProxy: "cloudflare",
      verify: { secret: SECRET, codeTtlMs: 200, perIp: { limit: 2 } },
    });
    const victims = [uniqueMobile(), uniqueMobile(), uniqueMobile()];
    for (const mobile of victims) await call(handle, "/otp/send", { mobile }, { "CF-Connecting-IP": "192.0.2.11" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sweep = [];
    const from = { "CF-Connecting-IP": "198.51.100.67" };
    for (const mobile of [uniqueMobile(), ...victims]) {
      sweep.push((await call(handle, "/otp/verify", { mobile, code: "123456" }, from)).result_code);
    }
    assert.deepEqual(sweep, ["CODE_INVALID", "CODE_EXPIRED", "CODE_EXPIRED", "IP_LIMIT"]);
  });

  test("F5: a port a proxy appends is not part of the client; clientIp reads the address your own way", async () => {
    const viaProxy = createOtpHandler({
      apiKey: uniqueKey("f5"),
      baseUrl: sandbox.url,
      trustProxy: "x-forwarded-for",
      perIp: { limit: 1 },
    });
    const codes = [];
    for (const from of ["203.0.113.5:40001", "203.0.113.5:40002", "203.0.113.6:40003"]) {
      codes.push(
        (await call(viaProxy, "/otp/send", { mobile: uniqueMobile() }, { "X-Forwarded-For": from })).result_code,
      );
    }
    assert.deepEqual(codes, ["TS-1024", "IP_LIMIT", "TS-1024"]);
    const own = createOtpHandler({
      apiKey: uniqueKey("f5-own"),
      baseUrl: sandbox.url,
      perIp: { limit: 1 },
      clientIp: (_request, env) => env.address,
    });
    const send = (address) =>
      own(
        new Request("https://shop.test/otp/send", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ mobile: uniqueMobile() }),
        }),
        { address },
      ).then(async (r) => (await r.json()).result_code);
    const answers = [await send("192.0.2.20"), await send("192.0.2.20"), await send("192.0.2.21")];
    assert.deepEqual(answers, ["TS-1024", "IP_LIMIT", "TS-1024"]);
    assert.throws(
      () => createOtpHandler({ apiKey: "k", trustProxy: "cloudflare", clientIp: () => "x" }),
      (e) => e.code === "INVALID_CONFIG" && e.field === "clientIp",
    );
  });

  test("F6: a webhook secret that is no secret, or a tolerance past an hour, is refused", () => {
    for (const webhook of [
      { secret: `${process.env.NOT_SET_ANYWHERE}` },
      { secret: "a" },
      { secret: "x".repeat(40) },
      { secret: "whsec_0123456789abcdef", toleranceMs: 10 * 365 * 86_400_000 },
    ]) {
      assert.throws(
        () => createOtpHandler({ apiKey: "k", webhook }),
        (e) => e.code === "INVALID_CONFIG" && e.field === "webhook",
        JSON.stringify(webhook),
      );
    }
  });
});
