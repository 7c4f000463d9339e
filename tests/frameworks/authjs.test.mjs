// examples/authjs/server.mjs (Auth.js's @auth/core, a Credentials provider over createOtpService)
// as a server process, driven over HTTP as a browser drives it against the sandbox: the app's
// POST /otp/send, the SMS's code, Auth.js's CSRF token and cookie from GET /auth/csrf, the form's
// POST /auth/callback/credentials, and GET /auth/session with the cookies it set.
//   cd build/consumer && PATH=/work/main/node_modules/.bin:$PATH node --test --test-reporter=spec tests/frameworks/authjs.test.mjs
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { inboxOf, startSandbox, uniqueMobile } from "../js/helpers.mjs";
import { startServer } from "../runtimes/processes.mjs";

const secret = () => randomBytes(32).toString("base64");
/** A key and two secrets of the example's own, none of which may show in its output. */
const env = { TURKEYSMS_API_KEY: "framework-authjs-KEY", OTP_SECRET: secret(), AUTH_SECRET: secret() };

let sandbox;
before(async () => {
  // Every send is an SMS of its own: the sandbox's duplicate window (TurkeySMS's: the same request
  // within 10 s answers as before) would hand the second instance's send the first one's code.
  sandbox = await startSandbox({ duplicateWindowMs: 0 });
});
after(() => sandbox.close());

/** The example on a free port, against the sandbox. */
const startExample = () =>
  startServer("node", ["examples/authjs/server.mjs"], {
    env: { ...env, TURKEYSMS_BASE_URL: sandbox.url, PORT: "0" },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  });

/** "905331234567" as people type it. */
const spellings = (mobile) => ({
  national: `0${mobile.slice(2, 5)} ${mobile.slice(5, 8)} ${mobile.slice(8, 10)} ${mobile.slice(10)}`,
  international: `+${mobile.slice(0, 2)} ${mobile.slice(2, 5)} ${mobile.slice(5, 8)} ${mobile.slice(8)}`,
  digits: mobile,
  user: `+${mobile}`,
});

/** A code of the same length that is not `code`. */
const otherCode = (code) => String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");

/** The code of the latest SMS to `mobile`, and how many there were. */
async function latestCode(mobile) {
  const inbox = await inboxOf(sandbox, mobile);
  assert.ok(inbox.length > 0, `an SMS reached ${mobile}`);
  return { code: inbox.at(-1).code, count: inbox.length };
}

/**
 * A browser on `server`: a cookie jar (each answer's Set-Cookie kept, every request sending
 * them), redirects not followed, so each answer is seen as the server gave it.
 */
function browser(server) {
  const jar = new Map();
  async function request(path, init = {}) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      redirect: "manual",
      headers: { ...init.headers, ...(cookie && { Cookie: cookie }) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      if (/;\s*max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, pair.slice(name.length + 1));
    }
    return response;
  }
  return {
    jar,
    request,
    /** POST /otp/send { phone } as the app's page sends it. */
    send: (phone) =>
      request("/otp/send", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ phone }),
      }),
    /** Auth.js's sign-in form: GET /auth/csrf for the token (and its cookie), then the POST. */
    async signIn(phone, code, { csrf = true } = {}) {
      const fields = { phone, code };
      if (csrf) {
        const answer = await request("/auth/csrf");
        assert.equal(answer.status, 200);
        fields.csrfToken = (await answer.json()).csrfToken;
        assert.match(fields.csrfToken, /^[0-9a-f]{64}$/);
        assert.ok(jar.has("authjs.csrf-token"), "Auth.js set its CSRF cookie");
      }
      const answer = await request("/auth/callback/credentials", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
      assert.equal(answer.status, 302, await answer.text());
      return new URL(answer.headers.get("location"));
    },
    /** GET /auth/session: Auth.js's session JSON, null without one. */
    async session() {
      const answer = await request("/auth/session");
      assert.equal(answer.status, 200);
      return answer.json();
    },
  };
}

/** Asserts the sign-in went back to Auth.js's sign-in page with `error` and `code`. */
function assertRefused(location, server, error, code) {
  assert.equal(`${location.origin}${location.pathname}`, `${server.url}/auth/signin`, String(location));
  assert.equal(location.searchParams.get("error"), error, String(location));
  assert.equal(location.searchParams.get("code"), code, String(location));
}

/** Asserts `session` is Auth.js's session of `user`, live for the next days. */
function assertSessionOf(session, user) {
  assert.deepEqual(Object.keys(session ?? {}).sort(), ["expires", "user"], JSON.stringify(session));
  assert.deepEqual(session.user, { id: user });
  assert.ok(Date.parse(session.expires) > Date.now() + 86_400_000, `expires ${session.expires}`);
}

describe("examples/authjs/server.mjs: Auth.js's Credentials provider over createOtpService", () => {
  const mobile = uniqueMobile();
  const typed = spellings(mobile);
  const flow = {};
  let server;
  let second;
  before(async () => {
    server = await startExample();
  });
  after(async () => {
    await server?.stop();
    await second?.stop();
  });

  test("POST /otp/send { phone: 0533 … }: 200 { id }, and TurkeySMS's SMS in the sandbox's inbox", async () => {
    const answer = await browser(server).send(typed.national);
    const body = await answer.json();
    assert.equal(answer.status, 200, JSON.stringify(body));
    assert.deepEqual(Object.keys(body), ["id"]);
    assert.match(body.id, /^[\w-]{22}$/, "the send's opaque id");
    const inbox = await inboxOf(sandbox, mobile);
    assert.equal(inbox.length, 1, "one SMS reached the sandbox");
    assert.match(inbox[0].code, /^\d{6}$/);
    flow.code = inbox[0].code;
  });

  test("Auth.js's own sign-in page (GET /auth/signin) has the provider's phone and code fields", async () => {
    const page = await browser(server).request("/auth/signin");
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<form action="[^"]*\/auth\/callback\/credentials" method="POST">/);
    assert.match(html, /<input type="hidden" name="csrfToken" value="[0-9a-f]{64}"\/>/);
    assert.match(html, /<input name="phone"[^>]* type="tel"/);
    assert.match(html, /<input name="code"[^>]* autocomplete="one-time-code"/);
  });

  test("the callback without Auth.js's CSRF token: MissingCSRF before any check, and no session", async () => {
    assert.ok(flow.code, "the send test ran first");
    const visitor = browser(server);
    assertRefused(await visitor.signIn(typed.digits, flow.code, { csrf: false }), server, "MissingCSRF", null);
    assert.equal(await visitor.session(), null);
    assert.ok(!visitor.jar.has("authjs.session-token"));
  });

  test("a wrong code (typed 90533…): CredentialsSignin, no session cookie, and GET /auth/session is null", async () => {
    assert.ok(flow.code, "the send test ran first");
    const visitor = browser(server);
    assertRefused(await visitor.signIn(typed.digits, otherCode(flow.code)), server, "CredentialsSignin", "credentials");
    assert.ok(!visitor.jar.has("authjs.session-token"), "no session cookie");
    assert.equal(await visitor.session(), null);
  });

  test("the SMS's code (typed +90 533 …): back to the site, and a session whose user is +90533…", async () => {
    assert.ok(flow.code, "the send test ran first");
    const visitor = browser(server);
    const location = await visitor.signIn(typed.international, flow.code);
    assert.equal(location.href, `${server.url}/`, "Auth.js's callbackUrl: the site");
    assert.ok(visitor.jar.has("authjs.session-token"), "Auth.js set its session cookie");
    const session = await visitor.session();
    assertSessionOf(session, typed.user);
    flow.cookie = visitor.jar.get("authjs.session-token");
  });

  test("the code is used up: the same code again is CredentialsSignin", async () => {
    assert.ok(flow.cookie, "the sign-in test ran first");
    const visitor = browser(server);
    assertRefused(await visitor.signIn(typed.user, flow.code), server, "CredentialsSignin", "credentials");
    assert.equal(await visitor.session(), null);
  });

  test("a resend inside the cooldown (typed 90533…): 429 COOLDOWN with message, retryAfter and Retry-After, and no SMS", async () => {
    assert.ok(flow.code, "the send test ran first");
    const answer = await browser(server).send(typed.digits);
    const body = await answer.json();
    assert.equal(answer.status, 429, JSON.stringify(body));
    assert.equal(body.code, "COOLDOWN");
    assert.equal(body.message, "A code was just sent to this number; wait before asking again.");
    assert.ok(Number.isInteger(body.retryAfter) && body.retryAfter > 0 && body.retryAfter <= 60, body.retryAfter);
    assert.equal(answer.headers.get("retry-after"), String(body.retryAfter));
    assert.equal((await inboxOf(sandbox, mobile)).length, 1, "still one SMS");
  });

  test("two spellings, one user: another instance (its own memory store, the same AUTH_SECRET) signs 0533 … in as the same user, and each reads the other's session", async () => {
    assert.ok(flow.cookie, "the sign-in test ran first");
    second = await startExample();
    const visitor = browser(second);
    assert.equal((await visitor.send(typed.digits)).status, 200);
    const { code, count } = await latestCode(mobile);
    assert.equal(count, 2, "the second instance's SMS");
    assert.equal((await visitor.signIn(typed.national, code)).href, `${second.url}/`);
    const session = await visitor.session();
    assertSessionOf(session, typed.user);
    // The first sign-in's cookie on the second instance, and the second's on the first.
    const firstOnSecond = browser(second);
    firstOnSecond.jar.set("authjs.session-token", flow.cookie);
    assertSessionOf(await firstOnSecond.session(), typed.user);
    const secondOnFirst = browser(server);
    secondOnFirst.jar.set("authjs.session-token", visitor.jar.get("authjs.session-token"));
    assertSessionOf(await secondOnFirst.session(), typed.user);
  });

  test("wrong codes up to verify.maxAttempts (5): the 5th is CredentialsSignin code=TOO_MANY_ATTEMPTS, and the right code then signs nobody in", async () => {
    const other = uniqueMobile();
    const visitor = browser(server);
    assert.equal((await visitor.send(`+${other}`)).status, 200);
    const { code } = await latestCode(other);
    for (let attempt = 1; attempt <= 4; attempt++) {
      assertRefused(await visitor.signIn(other, otherCode(code)), server, "CredentialsSignin", "credentials");
    }
    assertRefused(await visitor.signIn(other, otherCode(code)), server, "CredentialsSignin", "TOO_MANY_ATTEMPTS");
    assertRefused(await visitor.signIn(other, code), server, "CredentialsSignin", "TOO_MANY_ATTEMPTS");
    assert.equal(await visitor.session(), null);
  });

  test("POST /otp/send refusals: the rules' 400 with the service's message, 415 without JSON, 404 elsewhere; nothing sent", async () => {
    const visitor = browser(server);
    const invalid = await visitor.send("0533 123");
    assert.equal(invalid.status, 400);
    const body = await invalid.json();
    assert.equal(body.code, "INVALID_MOBILE");
    assert.match(body.message, /^mobile starts with 0, so it is read as a Turkish number, which has 11 digits/);
    assert.equal(invalid.headers.get("retry-after"), null);
    // What a form or a page elsewhere can send without a CORS preflight: refused unread.
    const other = uniqueMobile();
    const form = await visitor.request("/otp/send", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ phone: `+${other}` }),
    });
    assert.deepEqual([form.status, await form.json()], [415, { code: "UNSUPPORTED_MEDIA_TYPE" }]);
    assert.equal((await inboxOf(sandbox, other)).length, 0);
    const elsewhere = await visitor.request("/elsewhere");
    assert.deepEqual([elsewhere.status, await elsewhere.json()], [404, { code: "NOT_FOUND" }]);
  });

  test("a Host header of another site changes nothing Auth.js makes: its redirects name the server's own origin", async () => {
    // node:http, since fetch sets Host from the URL whatever the headers say.
    const location = await new Promise((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const post = request(
        { hostname, port, method: "POST", path: "/auth/signin/credentials", headers: { Host: "evil.example" } },
        (answer) => {
          answer.resume();
          resolve(answer.headers.location);
        },
      );
      post.on("error", reject);
      post.end();
    });
    assert.equal(new URL(location).origin, server.url, location);
  });

  test("the servers' output has no key, secret or code", () => {
    assert.ok(flow.code, "the send test ran first");
    for (const output of [server.output(), second?.output() ?? ""]) {
      for (const value of Object.values(env)) assert.ok(!output.includes(value), "no key or secret");
      assert.doesNotMatch(output, new RegExp(`(^|\\D)${flow.code}(\\D|$)`), "no code");
    }
  });
});
