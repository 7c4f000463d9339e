// The verify step's Node-side edges, on the packed package against the sandbox: what the flow in
// tests/stores/verify-flow.js (run over every store) does not cover. The configuration, a
// TurkeySMS that returns no code, a code TurkeySMS wrote as a number, a failing store, the page
// SDK's verifyOtp over real HTTP, the operator's events, and the odds of guessing.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { getRequestListener } from "@hono/node-server";
import {
  __defaults,
  createOtpHandler,
  isOtpError,
  memoryStore,
  sendOtp,
  verifyOtp,
  verifyOtpToken,
} from "turkeysms-otp";
import { inboxOf, queueFaults, rejectsWith, startSandbox, uniqueKey, uniqueMobile } from "./helpers.mjs";

const SECRET = "handler-verify-secret-0123456789abcdef";
let sandbox;
before(async () => {
  sandbox = await startSandbox({ rateLimit: 1_000_000 });
});
after(() => sandbox.close());

const number = uniqueMobile;
const handlerFor = (extra = {}, verify = {}) =>
  createOtpHandler({
    apiKey: extra.apiKey ?? uniqueKey("verify"),
    baseUrl: sandbox.url,
    maxRetries: 0,
    cooldownMs: 0,
    ...extra,
    verify: { secret: SECRET, ...verify },
  });
const post = async (handle, path, body) => {
  const response = await handle(
    new Request(`http://h.test${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, ...(await response.json()) };
};
const lastCode = async (wire) => (await inboxOf(sandbox, wire)).at(-1).code;

describe("configuration", () => {
  const invalid = (verify, field, extra = {}) =>
    assert.throws(
      () => createOtpHandler({ apiKey: "k", ...extra, verify }),
      (error) => isOtpError(error) && error.code === "INVALID_CONFIG" && error.field === field,
    );
  test("verify.secret must be at least 32 bytes, and the message says how to make one", () => {
    invalid({}, "verify.secret");
    invalid({ secret: "short" }, "verify.secret");
    invalid({ secret: 42 }, "verify.secret");
    assert.throws(() => createOtpHandler({ apiKey: "k", verify: { secret: "x" } }), /at least 32 bytes.*openssl rand/);
  });
  test("every verify option is checked, by name", () => {
    invalid({ secret: SECRET, codeTtl: 1 }, "verify.codeTtl");
    invalid({ secret: SECRET, codeTtlMs: 0 }, "verify.codeTtlMs");
    invalid({ secret: SECRET, maxAttempts: 0 }, "verify.maxAttempts");
    invalid({ secret: SECRET, perNumber: { limit: -1 } }, "verify.perNumber.limit");
    invalid({ secret: SECRET, tokenTtlMs: 10 }, "verify.tokenTtlMs");
    invalid({ secret: SECRET, issuer: "" }, "verify.issuer");
    invalid({ secret: SECRET, onVerified: "yes" }, "verify.onVerified");
    invalid("secret", "verify");
  });
  test("a store without the code operations is refused when verify is on", () => {
    const counters = { reserve: async () => ({ ok: true }), release: async () => {} };
    invalid({ secret: SECRET }, "store", { store: counters });
    assert.equal(typeof createOtpHandler({ apiKey: "k", store: counters }), "function", "fine without verify");
  });
  test("without verify there is no /otp/verify", async () => {
    const handle = createOtpHandler({ apiKey: "k", baseUrl: sandbox.url });
    const answer = await post(handle, "/otp/verify", { mobile: number(), code: "123456" });
    assert.equal(answer.status, 404);
    assert.equal(answer.result_code, "NOT_FOUND");
  });
});

describe("what TurkeySMS returns", () => {
  test("no otp_code: the send answers 502 VERIFY_UNAVAILABLE and the operator hears why", async () => {
    const quiet = await startSandbox({ otpCode: false });
    const events = [];
    try {
      const handle = createOtpHandler({
        apiKey: "no-code",
        baseUrl: quiet.url,
        verify: { secret: SECRET },
        onEvent: (e) => events.push(e),
      });
      const wire = number();
      const answer = await post(handle, "/otp/send", { mobile: wire });
      assert.equal(answer.status, 502);
      assert.equal(answer.result_code, "VERIFY_UNAVAILABLE");
      assert.equal((await inboxOf(quiet, wire)).length, 1, "the SMS itself went out");
      // One event per answer: the send succeeded upstream, so no "failed".
      assert.deepEqual(
        events.map((e) => [e.type, e.code]),
        [["verify-unavailable", "VERIFY_UNAVAILABLE"]],
      );
      assert.match(events[0].reason, /no otp_code/);
      // The same handler without verify sends as before.
      const plain = createOtpHandler({ apiKey: "no-code", baseUrl: quiet.url });
      assert.equal((await post(plain, "/otp/send", { mobile: number() })).result_code, "TS-1024");
    } finally {
      await quiet.close();
    }
  });

  test("a page's sendOtp through the handler gets VERIFY_UNAVAILABLE once: never retried, one SMS", async () => {
    const quiet = await startSandbox({ otpCode: false });
    const handle = createOtpHandler({
      apiKey: "no-code-page",
      baseUrl: quiet.url,
      cooldownMs: 0,
      verify: { secret: SECRET },
    });
    const { baseUrl, close } = await serve(handle);
    try {
      const wire = number();
      await rejectsWith(sendOtp({ baseUrl, mobile: wire, maxRetries: 2 }), "VERIFY_UNAVAILABLE", {
        status: 502,
        attempts: 1,
        retryable: false,
      });
      assert.equal((await inboxOf(quiet, wire)).length, 1, "one SMS, not three");
    } finally {
      close();
      await quiet.close();
    }
  });

  test("an otp_code written as a JSON number keeps its leading zeros (padded to digits)", async () => {
    // The sandbox's otp-code fault answers otp_code: 4821, a number.
    for (const [digits, typed] of [
      [4, "4821"],
      [6, "004821"],
    ]) {
      const apiKey = uniqueKey(`numeric-${digits}`);
      await queueFaults(sandbox, apiKey, ["otp-code"]);
      const handle = handlerFor({ apiKey, digits });
      const wire = number();
      assert.equal((await post(handle, "/otp/send", { mobile: wire })).result_code, "TS-1024");
      assert.equal((await post(handle, "/otp/verify", { mobile: wire, code: typed })).result_code, "VERIFIED");
    }
  });
});

describe("a failing store fails closed", () => {
  const failing = (method) =>
    Object.assign(memoryStore(), {
      [method]: async () => {
        throw new Error(`${method}: connection lost`);
      },
    });
  test("putCode failing: /otp/send answers 502 VERIFY_UNAVAILABLE (the SMS went out: never retried)", async () => {
    const events = [];
    const sender = handlerFor({ store: failing("putCode"), onEvent: (e) => events.push(e) });
    const sent = await post(sender, "/otp/send", { mobile: number() });
    assert.equal(sent.status, 502);
    assert.equal(sent.result_code, "VERIFY_UNAVAILABLE");
    assert.deepEqual(
      events.map((e) => e.type),
      ["store-error"],
    );
    assert.match(events[0].error, /connection lost/);
  });
  test("checkCode failing: /otp/verify answers 503 STORE_UNAVAILABLE, never VERIFIED", async () => {
    const events = [];
    const healthy = memoryStore();
    const wire = number();
    const apiKey = uniqueKey("failing"); // one application: one namespace in both stores
    await post(handlerFor({ apiKey, store: healthy }), "/otp/send", { mobile: wire });
    const code = await lastCode(wire);
    const store = { ...failing("checkCode"), putCode: healthy.putCode };
    const answer = await post(handlerFor({ apiKey, store, onEvent: (e) => events.push(e) }), "/otp/verify", {
      mobile: wire,
      code,
    });
    assert.equal(answer.status, 503);
    assert.equal(answer.result_code, "STORE_UNAVAILABLE");
    assert.ok(events.some((e) => e.type === "store-error" && e.error.includes("connection lost")));
    // The code is still good through the healthy store: the failure used nothing up.
    assert.equal(
      (await post(handlerFor({ apiKey, store: healthy }), "/otp/verify", { mobile: wire, code })).result_code,
      "VERIFIED",
    );
  });
});

describe("verifyOtp, the page's call, over real HTTP", () => {
  let baseUrl;
  let close;
  const seen = [];
  let handle;
  before(async () => {
    handle = handlerFor();
    ({ baseUrl, close } = await serve((request) => {
      const { pathname } = new URL(request.url);
      seen.push(pathname);
      if (pathname === "/down/otp/verify") {
        return Response.json(
          {
            result: false,
            result_code: "UNAVAILABLE",
            result_message: "Codes cannot be checked right now; try again later.",
          },
          { status: 503 },
        );
      }
      return handle(request);
    }));
  });
  after(() => close());

  test("a malformed code is refused locally (INVALID_CODE), before any request", async () => {
    const before = seen.length;
    for (const code of ["12", "1234567", "12 34", 123456, undefined]) {
      await rejectsWith(verifyOtp({ baseUrl, mobile: "0532 123 45 67", code }), "INVALID_CODE", {
        field: "code",
        attempts: 0,
      });
    }
    await rejectsWith(verifyOtp({ mobile: "0532 123 45 67", code: "123456" }), "INVALID_BASE_URL", {
      field: "baseUrl",
    });
    assert.equal(seen.length, before, "nothing was sent");
  });

  test("the right code resolves { code: VERIFIED, token, mobile }; a wrong one rejects with CODE_INVALID", async () => {
    const wire = number();
    await post(handle, "/otp/send", { mobile: wire });
    const code = await lastCode(wire);
    const wrong = code === "000000" ? "111111" : "000000";
    await rejectsWith(verifyOtp({ baseUrl, mobile: `+${wire}`, code: wrong }), "CODE_INVALID", {
      status: 400,
      attempts: 1,
      retryable: false,
    });
    const result = await verifyOtp({ baseUrl, mobile: `+${wire}`, code: ` ${code} ` });
    assert.deepEqual(Object.keys(result).sort(), ["code", "mobile", "token"]);
    assert.equal(result.code, "VERIFIED");
    assert.equal(result.mobile, wire);
    assert.equal((await verifyOtpToken(result.token, { secret: SECRET })).mobile, wire);
  });

  test("a check is never retried, even after a 503 (a first try may have used the code)", async () => {
    const before = seen.length;
    await rejectsWith(verifyOtp({ baseUrl: `${baseUrl}/down`, mobile: number(), code: "123456" }), "UNAVAILABLE", {
      attempts: 1,
    });
    assert.equal(seen.length, before + 1);
  });
});

/** Serves `handle` over real HTTP on 127.0.0.1 (the adapter the README shows); resolves to { baseUrl, close }. */
async function serve(handle) {
  const server = createServer(getRequestListener(handle));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { baseUrl: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

describe("retryAfter: the handler's Retry-After reaches the page's error", () => {
  test("COOLDOWN on a send and NUMBER_LIMIT on a check carry retryAfter (seconds), in toJSON too", async () => {
    const handle = createOtpHandler({
      apiKey: uniqueKey("retry-after"),
      baseUrl: sandbox.url,
      cooldownMs: 45_000,
      verify: { secret: SECRET, perNumber: { limit: 1, windowMs: 120_000 } },
    });
    const { baseUrl, close } = await serve(handle);
    try {
      const wire = number();
      await sendOtp({ baseUrl, mobile: wire });
      const cooldown = await rejectsWith(sendOtp({ baseUrl, mobile: wire, maxRetries: 0 }), "COOLDOWN", {
        status: 429,
      });
      assert.ok(cooldown.retryAfter > 40 && cooldown.retryAfter <= 45, String(cooldown.retryAfter));
      assert.equal(JSON.parse(JSON.stringify(cooldown)).retryAfter, cooldown.retryAfter);
      // The handler's own words, fit to show next to the field; where it came from is a field.
      assert.equal(cooldown.message, "A code was just sent to this number; wait before asking again.");
      assert.equal(cooldown.origin, baseUrl);
      assert.equal(JSON.parse(JSON.stringify(cooldown)).origin, baseUrl, "toJSON keeps the origin for logs");
      const invalid = await rejectsWith(verifyOtp({ baseUrl, mobile: wire, code: "000000" }), "CODE_INVALID");
      assert.equal(invalid.message, "The code is not right.");
      const limited = await rejectsWith(verifyOtp({ baseUrl, mobile: wire, code: "000000" }), "NUMBER_LIMIT");
      assert.ok(limited.retryAfter > 110 && limited.retryAfter <= 120, String(limited.retryAfter));
      const wrong = await rejectsWith(verifyOtp({ baseUrl, mobile: number(), code: "000000" }), "CODE_INVALID");
      assert.equal(wrong.retryAfter, undefined, "no Retry-After, no retryAfter");
      assert.ok(!("retryAfter" in JSON.parse(JSON.stringify(wrong))));
    } finally {
      close();
    }
  });
});

describe("verifyOtpToken", () => {
  test("bad options and non-tokens reject with typed errors, and never show the secret", async () => {
    await rejectsWith(verifyOtpToken("x.y.z", { secret: "short" }), "INVALID_OPTIONS", { field: "secret" });
    await rejectsWith(verifyOtpToken("x.y.z"), "INVALID_OPTIONS", { field: "options" });
    for (const token of [undefined, "", "not-a-jwt", "a.b.c", 42]) {
      const error = await rejectsWith(verifyOtpToken(token, { secret: SECRET }), "TOKEN_INVALID", { field: "token" });
      assert.ok(!JSON.stringify(error).includes(SECRET) && !error.stack.includes(SECRET));
    }
  });
});

describe("the operator's events", () => {
  test("a check is told as verified or refused, with the masked number and never the code", async () => {
    const events = [];
    const handle = handlerFor({ onEvent: (e) => events.push(e) });
    const wire = number();
    await post(handle, "/otp/send", { mobile: wire });
    const code = await lastCode(wire);
    await post(handle, "/otp/verify", { mobile: wire, code: code === "999999" ? "999998" : "999999" });
    await post(handle, "/otp/verify", { mobile: wire, code });
    assert.deepEqual(
      events.map((e) => [e.type, e.code]),
      [
        ["sent", "TS-1024"],
        ["refused", "CODE_INVALID"],
        ["verified", "VERIFIED"],
      ],
    );
    assert.ok(events.every((e) => e.mobile === `${wire.slice(0, 5)}*****${wire.slice(-2)}`));
    assert.ok(!JSON.stringify(events).includes(code), "no event carries the code");
  });
});

describe("the odds of guessing, with the defaults", () => {
  test("one number: at most 10 codes compared per hour however many codes are asked for; 6 digits give 1 in 100 000", async () => {
    const d = __defaults.handler;
    // The attacker's best case: no cooldown, and a TurkeySMS that never answers a resend with the
    // same code (no duplicate window), so every send the per-number limit allows is a fresh code.
    const fresh = await startSandbox({ duplicateWindowMs: 0 });
    // The comparisons are counted where they happen, in the store's checkCode: a refused check
    // (NUMBER_LIMIT) compares nothing.
    const store = memoryStore();
    let compared = 0;
    const checkCode = store.checkCode;
    store.checkCode = async (...args) => {
      const result = await checkCode(...args);
      if (result.state === "wrong" || result.state === "verified") compared += 1;
      return result;
    };
    try {
      const handle = createOtpHandler({
        apiKey: uniqueKey("odds"),
        baseUrl: fresh.url,
        cooldownMs: 0,
        store,
        verify: { secret: SECRET },
      });
      const wire = number();
      const sends = [];
      const answers = [];
      let guess = 0;
      for (let send = 0; send < d.perNumber.limit + 1; send++) {
        sends.push((await post(handle, "/otp/send", { mobile: wire })).result_code);
        // maxAttempts guesses per code: a try on a burnt code would only spend the number's checks.
        for (let i = 0; i < d.verify.maxAttempts; i++) {
          const code = String(guess++).padStart(6, "0");
          answers.push((await post(handle, "/otp/verify", { mobile: wire, code })).result_code);
        }
      }
      const hourly = Math.min(d.verify.perNumber.limit, d.perNumber.limit * d.verify.maxAttempts);
      // Once the number's checks are used up, a send is refused too: a code nobody could check.
      const allowed = Math.ceil(hourly / d.verify.maxAttempts);
      assert.deepEqual(
        sends,
        [...Array(allowed).fill("TS-1024"), ...Array(sends.length - allowed).fill("NUMBER_LIMIT")],
        `sends: ${sends}`,
      );
      assert.equal(compared, hourly, `compared ${compared} guesses: ${answers.join()}`);
      const odds = compared / 10 ** 6;
      console.log(`best odds per number per hour with the defaults: ${compared} guesses / 10^6 codes = ${odds}`);
      assert.equal(odds, 1e-5);
    } finally {
      await fresh.close();
    }
  });
});
