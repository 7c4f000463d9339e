// turkeysms-otp/better-auth with better-auth's own server API (auth.api.*, and auth.handler for
// HTTP), its memory adapter and the sandbox: examples/better-auth/auth.mjs as a user copies it,
// then the same configuration over services set up for one behaviour each (no cooldown, tight
// limits, a failing upstream).
//   cd build/consumer && PATH=/work/main/node_modules/.bin:$PATH node --test --test-reporter=spec tests/frameworks/better-auth.test.mjs
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { phoneNumber } from "better-auth/plugins";
import { createOtpService } from "turkeysms-otp";
import { turkeysmsPhoneNumber, turkeysmsPhoneNumberForm } from "turkeysms-otp/better-auth";
import { inboxOf, startSandbox, uniqueMobile } from "../js/helpers.mjs";

const BASE_URL = "http://localhost:3000";
const secret = () => randomBytes(32).toString("base64");

let sandbox;
before(async () => {
  // Every send is an SMS of its own: the sandbox's duplicate window (TurkeySMS's: the same request
  // within 10 s answers as before) would hand a second sign-in the first one's code.
  sandbox = await startSandbox({ duplicateWindowMs: 0 });
  process.env.BETTER_AUTH_URL = BASE_URL;
});
after(() => sandbox.close());

/** "905331234567" as people type it. */
const spellings = (mobile) => ({
  national: `0${mobile.slice(2, 5)} ${mobile.slice(5, 8)} ${mobile.slice(8, 10)} ${mobile.slice(10)}`,
  international: `+${mobile.slice(0, 2)} ${mobile.slice(2, 5)} ${mobile.slice(5, 8)} ${mobile.slice(8)}`,
  digits: mobile,
  stored: `+${mobile}`,
});

/** The code of the latest SMS to `mobile`, and how many there were. */
async function latestCode(mobile) {
  const inbox = await inboxOf(sandbox, mobile);
  assert.ok(inbox.length > 0, `an SMS reached ${mobile}`);
  return { code: inbox.at(-1).code, count: inbox.length };
}

/** A code of the same length that is not `code`. */
const otherCode = (code) => String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");

/** The example's configuration over `service`; `form: false` leaves turkeysmsPhoneNumberForm() out. */
function authOver(service, { form = true, adapter = {} } = {}) {
  return betterAuth({
    secret: secret(),
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    plugins: [
      phoneNumber({
        ...turkeysmsPhoneNumber(service, adapter),
        signUpOnVerification: { getTempEmail: (phone) => `${phone.slice(1)}@phone.invalid`, getTempName: (p) => p },
      }),
      ...(form ? [turkeysmsPhoneNumberForm()] : []),
    ],
  });
}

/** A service on the sandbox with its own key and secret. */
const serviceWith = (config = {}) =>
  createOtpService({
    apiKey: `better-auth-${randomBytes(4).toString("hex")}`,
    baseUrl: sandbox.url,
    verify: { secret: secret() },
    ...config,
  });

/** The users better-auth stored for a number (in any spelling), and every session. */
async function stored(auth) {
  const { adapter } = await auth.$context;
  return {
    users: await adapter.findMany({ model: "user" }),
    sessions: await adapter.findMany({ model: "session" }),
  };
}

/** Rejects like better-auth's APIError with `status` and body `code`; resolves the error. */
async function refused(promise, statusCode, code) {
  let error;
  await assert.rejects(promise, (e) => {
    error = e;
    return true;
  });
  assert.equal(error?.name, "APIError", String(error?.stack ?? error));
  assert.equal(error.statusCode, statusCode, JSON.stringify(error.body));
  assert.equal(error.body?.code, code, JSON.stringify(error.body));
  return error;
}

/** Signs `typed` in: a send, the SMS's code, a verify. Resolves verify's answer. */
async function signIn(auth, typed, mobile) {
  await auth.api.sendPhoneNumberOTP({ body: { phoneNumber: typed } });
  const { code } = await latestCode(mobile);
  return auth.api.verifyPhoneNumber({ body: { phoneNumber: typed, code } });
}

describe("examples/better-auth/auth.mjs: better-auth's phone-number plugin over createOtpService", () => {
  const env = {
    TURKEYSMS_API_KEY: "framework-better-auth-KEY",
    OTP_SECRET: secret(),
    BETTER_AUTH_SECRET: secret(),
  };
  const mobile = uniqueMobile();
  const typed = spellings(mobile);
  let auth;
  const flow = {};
  before(async () => {
    Object.assign(process.env, env, { TURKEYSMS_BASE_URL: sandbox.url });
    ({ auth } = await import("../../examples/better-auth/auth.mjs"));
  });

  test("sendPhoneNumberOTP (typed 0532 …): better-auth's answer, and TurkeySMS's SMS in the sandbox's inbox", async () => {
    const answer = await auth.api.sendPhoneNumberOTP({ body: { phoneNumber: typed.national } });
    assert.deepEqual(answer, { message: "code sent" });
    const inbox = await inboxOf(sandbox, mobile);
    assert.equal(inbox.length, 1, "one SMS reached the sandbox");
    assert.match(inbox[0].code, /^\d{6}$/);
    flow.code = inbox[0].code;
  });

  test("verifyPhoneNumber with a wrong code: 400 CODE_INVALID, and no user and no session", async () => {
    assert.ok(flow.code, "the send test ran first");
    const error = await refused(
      auth.api.verifyPhoneNumber({ body: { phoneNumber: typed.national, code: otherCode(flow.code) } }),
      400,
      "CODE_INVALID",
    );
    assert.equal(error.body.message, "The code is not right.");
    const { users, sessions } = await stored(auth);
    assert.deepEqual([users.length, sessions.length], [0, 0]);
  });

  test("verifyPhoneNumber with the SMS's code (typed +90 …): a session, for a user stored as +905… and verified", async () => {
    assert.ok(flow.code, "the send test ran first");
    const { headers, response } = await auth.api.verifyPhoneNumber({
      body: { phoneNumber: typed.international, code: flow.code },
      returnHeaders: true,
    });
    assert.equal(response.status, true);
    assert.equal(response.user.phoneNumber, typed.stored);
    assert.equal(response.user.phoneNumberVerified, true);
    assert.equal(typeof response.token, "string");
    // The session cookie better-auth set is a session of this user.
    const cookie = headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    assert.equal(session?.user.id, response.user.id);
    assert.equal(session.user.phoneNumber, typed.stored);
    const { users } = await stored(auth);
    assert.deepEqual(
      users.map((u) => u.phoneNumber),
      [typed.stored],
    );
    flow.userId = response.user.id;
  });

  test("the code is used up: the same code again is 400 CODE_INVALID", async () => {
    assert.ok(flow.userId, "the verify test ran first");
    await refused(
      auth.api.verifyPhoneNumber({ body: { phoneNumber: typed.stored, code: flow.code } }),
      400,
      "CODE_INVALID",
    );
  });

  test("a resend inside the cooldown: 429 COOLDOWN with the wait (message, retryAfter, Retry-After), and no SMS", async () => {
    const error = await refused(auth.api.sendPhoneNumberOTP({ body: { phoneNumber: typed.digits } }), 429, "COOLDOWN");
    const wait = error.body.retryAfter;
    assert.ok(Number.isInteger(wait) && wait > 0 && wait <= 60, `retryAfter ${wait}`);
    assert.match(error.body.message, new RegExp(`Try again in ${wait} seconds?\\.$`));
    assert.equal(new Headers(error.headers).get("retry-after"), String(wait));
    assert.equal((await inboxOf(sandbox, mobile)).length, 1, "still one SMS");
  });

  test("over HTTP (auth.handler): the resend is a 429 response with Retry-After and the service's code", async () => {
    const response = await auth.handler(
      new Request(`${BASE_URL}/api/auth/phone-number/send-otp`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: BASE_URL },
        body: JSON.stringify({ phoneNumber: typed.national }),
      }),
    );
    const body = await response.json();
    assert.equal(response.status, 429, JSON.stringify(body));
    assert.equal(body.code, "COOLDOWN");
    assert.equal(response.headers.get("retry-after"), String(body.retryAfter));
  });
});

describe("one person, one user: turkeysmsPhoneNumberForm() stores every spelling as +905…", () => {
  let service;
  before(() => {
    service = serviceWith({ cooldownMs: 0 });
  });

  test("signing in as 0532 …, +90 532 …, 90532… and +90532… is the same user, stored once", async () => {
    const auth = authOver(service);
    const mobile = uniqueMobile();
    const typed = spellings(mobile);
    const ids = [];
    for (const spelling of [typed.national, typed.international, typed.digits, typed.stored]) {
      const answer = await signIn(auth, spelling, mobile);
      assert.equal(answer.user.phoneNumber, typed.stored, spelling);
      ids.push(answer.user.id);
    }
    assert.equal(new Set(ids).size, 1, `one user: ${ids}`);
    const { users, sessions } = await stored(auth);
    assert.deepEqual(
      users.map((u) => [u.phoneNumber, u.phoneNumberVerified]),
      [[typed.stored, true]],
    );
    assert.equal(sessions.length, 4, "a session per sign-in");
  });

  test("a number the rules refuse is better-auth's 400 INVALID_PHONE_NUMBER; another country's, the service's 403", async () => {
    const auth = authOver(service);
    for (const phoneNumber of ["12345", "0532 123 45", "+90 532 123 45 67 8"]) {
      await refused(auth.api.sendPhoneNumberOTP({ body: { phoneNumber } }), 400, "INVALID_PHONE_NUMBER");
    }
    // A valid number of a country the service does not send to (allowedCountries: ["90"]).
    await refused(
      auth.api.sendPhoneNumberOTP({ body: { phoneNumber: "+1 415 555 0100" } }),
      403,
      "COUNTRY_NOT_ALLOWED",
    );
  });

  test("without turkeysmsPhoneNumberForm(): only +905… is accepted, so another spelling never becomes a second user", async () => {
    const auth = authOver(service, { form: false });
    const mobile = uniqueMobile();
    const typed = spellings(mobile);
    // better-auth asks the validator before sending: 0532 … is refused, nothing is sent.
    await refused(auth.api.sendPhoneNumberOTP({ body: { phoneNumber: typed.national } }), 400, "INVALID_PHONE_NUMBER");
    assert.equal((await inboxOf(sandbox, mobile)).length, 0);
    // The stored form works; a verify typed another way is refused before the code is checked, and
    // the error names the form to send.
    await auth.api.sendPhoneNumberOTP({ body: { phoneNumber: typed.stored } });
    const { code } = await latestCode(mobile);
    const error = await refused(
      auth.api.verifyPhoneNumber({ body: { phoneNumber: typed.digits, code } }),
      400,
      "INVALID_PHONE_NUMBER",
    );
    assert.match(error.body.message, new RegExp(`^Send the number as \\${typed.stored}:`));
    const answer = await auth.api.verifyPhoneNumber({ body: { phoneNumber: typed.stored, code } });
    assert.equal(answer.user.phoneNumber, typed.stored, "the code was not spent by the refused verify");
    assert.equal((await stored(auth)).users.length, 1);
  });
});

describe("the service's refusals as better-auth APIErrors", () => {
  test("TOO_MANY_ATTEMPTS: wrong codes up to verify.maxAttempts, then 429, and the right code no longer works", async () => {
    const auth = authOver(serviceWith({ verify: { secret: secret(), maxAttempts: 3 } }));
    const mobile = uniqueMobile();
    await auth.api.sendPhoneNumberOTP({ body: { phoneNumber: `+${mobile}` } });
    const { code } = await latestCode(mobile);
    const body = { phoneNumber: `+${mobile}`, code: otherCode(code) };
    await refused(auth.api.verifyPhoneNumber({ body }), 400, "CODE_INVALID");
    await refused(auth.api.verifyPhoneNumber({ body }), 400, "CODE_INVALID");
    await refused(auth.api.verifyPhoneNumber({ body }), 429, "TOO_MANY_ATTEMPTS");
    await refused(auth.api.verifyPhoneNumber({ body: { ...body, code } }), 429, "TOO_MANY_ATTEMPTS");
    assert.equal((await stored(auth)).users.length, 0);
  });

  test("UNAVAILABLE (TurkeySMS refused the account: no balance) is 503; VERIFY_UNAVAILABLE (no otp_code) is 502", async () => {
    for (const [apiKey, status, code] of [
      ["sandbox-no-balance", 503, "UNAVAILABLE"],
      ["sandbox-bare-success", 502, "VERIFY_UNAVAILABLE"],
    ]) {
      const auth = authOver(serviceWith({ apiKey }));
      const error = await refused(
        auth.api.sendPhoneNumberOTP({ body: { phoneNumber: `+${uniqueMobile()}` } }),
        status,
        code,
      );
      assert.doesNotMatch(error.body.message, /balance|TS-1027/, "the account's problem is the operator's");
    }
  });

  test("trustProxy: x-forwarded-for counts the address the proxy appended; none (the default) reads no header", async () => {
    const limits = { cooldownMs: 0, perIp: { limit: 1, windowMs: 60_000 } };
    const send = (auth, forwarded) =>
      auth.api.sendPhoneNumberOTP({
        body: { phoneNumber: `+${uniqueMobile()}` },
        headers: new Headers({ "x-forwarded-for": forwarded }),
      });
    const trusting = authOver(serviceWith(limits), { adapter: { trustProxy: "x-forwarded-for" } });
    await send(trusting, "198.51.100.7");
    // The client wrote the left entry; the proxy appended the right one: the same client.
    const error = await refused(send(trusting, "203.0.113.9, 198.51.100.7"), 429, "IP_LIMIT");
    assert.ok(error.body.retryAfter > 0);
    await send(trusting, "198.51.100.7, 198.51.100.8");
    const none = authOver(serviceWith(limits));
    await send(none, "198.51.100.7");
    await send(none, "198.51.100.7");
  });

  test("a service without verify: the check is the server's error (better-auth's 500), not a wrong code", async () => {
    const auth = authOver(createOtpService({ apiKey: "better-auth-no-verify", baseUrl: sandbox.url }));
    await assert.rejects(auth.api.verifyPhoneNumber({ body: { phoneNumber: `+${uniqueMobile()}`, code: "123456" } }), {
      name: "OtpError",
      code: "INVALID_CONFIG",
    });
    const response = await auth.handler(
      new Request(`${BASE_URL}/api/auth/phone-number/verify`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: BASE_URL },
        body: JSON.stringify({ phoneNumber: `+${uniqueMobile()}`, code: "123456" }),
      }),
    );
    assert.equal(response.status, 500);
    assert.doesNotMatch(await response.text(), /verify/, "the configuration is the operator's");
  });

  test("a bad argument throws OtpError INVALID_CONFIG naming it", () => {
    const service = serviceWith();
    assert.throws(() => turkeysmsPhoneNumber({}), { name: "OtpError", code: "INVALID_CONFIG", field: "service" });
    assert.throws(() => turkeysmsPhoneNumber(service, { trustProxy: "x-real-ip" }), {
      code: "INVALID_CONFIG",
      field: "trustProxy",
    });
    assert.throws(() => turkeysmsPhoneNumber(service, { trustProxy: "x-forwarded-for", proxyHops: 0 }), {
      code: "INVALID_CONFIG",
      field: "proxyHops",
    });
  });
});

// better-auth issue #10697: /phone-number/reset-password compared the code with better-auth's own
// stored one, ignoring a custom verifyOTP, so with TurkeySMS making the codes no reset could
// succeed. Run with the adapter on better-auth 1.7.7, the SMS's code is refused (400 INVALID_OTP)
// while better-auth's own code, never sent, resets the password. From 1.7.8 reset-password calls
// verifyOTP, and the package's peer range starts there; the workaround is that version. These
// tests hold the fixed behaviour with the adapter.
describe("password reset: /phone-number/request-password-reset and /phone-number/reset-password (better-auth #10697)", () => {
  let service;
  before(() => {
    service = serviceWith({ cooldownMs: 0 });
  });

  /** A user for a fresh number, made by signing in once by SMS code. */
  async function userOf(auth) {
    const mobile = uniqueMobile();
    const { user } = await signIn(auth, `+${mobile}`, mobile);
    return { mobile, user };
  }

  test("the reset SMS's code resets the password (then used up); a wrong one and better-auth's own code are refused", async () => {
    // better-auth's own code, which the adapter never sends, caught on its way to sendPasswordResetOTP.
    let ownCode;
    const options = turkeysmsPhoneNumber(service);
    const auth = betterAuth({
      secret: secret(),
      database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
      plugins: [
        phoneNumber({
          ...options,
          sendPasswordResetOTP: (data, ctx) => {
            ownCode = data.code;
            return options.sendPasswordResetOTP(data, ctx);
          },
          signUpOnVerification: { getTempEmail: (phone) => `${phone.slice(1)}@phone.invalid` },
        }),
        turkeysmsPhoneNumberForm(),
      ],
    });
    const { mobile, user } = await userOf(auth);
    const typed = spellings(mobile).national;
    const before = (await inboxOf(sandbox, mobile)).length;
    assert.deepEqual(await auth.api.requestPasswordResetPhoneNumber({ body: { phoneNumber: typed } }), {
      status: true,
    });
    const { code, count } = await latestCode(mobile);
    assert.equal(count, before + 1, "the reset sent an SMS, TurkeySMS's code");
    assert.match(ownCode, /^\d{6}$/);
    const reset = (otp) =>
      auth.api.resetPasswordPhoneNumber({ body: { phoneNumber: typed, otp, newPassword: "a new password 1" } });
    await refused(reset(otherCode(code)), 400, "CODE_INVALID");
    if (ownCode !== code) await refused(reset(ownCode), 400, "CODE_INVALID");
    assert.deepEqual(await reset(code), { status: true });
    await refused(reset(code), 400, "CODE_INVALID");
    const signedIn = await auth.api.signInPhoneNumber({
      body: { phoneNumber: spellings(mobile).international, password: "a new password 1" },
    });
    assert.equal(signedIn.user.id, user.id);
  });

  test("a number with no user: 200 { status: true } as for any number, and no SMS", async () => {
    const auth = authOver(service);
    const mobile = uniqueMobile();
    assert.deepEqual(await auth.api.requestPasswordResetPhoneNumber({ body: { phoneNumber: `+${mobile}` } }), {
      status: true,
    });
    assert.equal((await inboxOf(sandbox, mobile)).length, 0);
  });

  test("any live code of the number resets it, one sent for signing in too: the same proof as signing in", async () => {
    const auth = authOver(service);
    const { mobile } = await userOf(auth);
    await auth.api.sendPhoneNumberOTP({ body: { phoneNumber: `+${mobile}` } });
    const { code } = await latestCode(mobile);
    assert.deepEqual(
      await auth.api.resetPasswordPhoneNumber({
        body: { phoneNumber: `+${mobile}`, otp: code, newPassword: "another password 2" },
      }),
      { status: true },
    );
  });
});
