// The framework examples in examples/ (node:http, Express, Hono on Node and on workerd, Next.js),
// each started as a real server process and driven over HTTP against the sandbox: a send, the SMS
// in the sandbox's inbox, a wrong code, the right code and its token.
//   cd build/consumer && PATH=/work/main/node_modules/.bin:$PATH node --test --test-reporter=spec tests/frameworks/
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { verifyOtpToken } from "turkeysms-otp";
import { inboxOf, startSandbox, uniqueMobile } from "../js/helpers.mjs";
import { consumerDir, freePort, run, startServer, wranglerDev } from "../runtimes/processes.mjs";

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

/** Per example: a key and a secret of its own, neither of which may show in its output. */
const envFor = (name) => ({
  TURKEYSMS_API_KEY: `framework-${name}-KEY`,
  OTP_SECRET: `framework-${name}-OTP-SECRET-0123456789abcdef`,
});

/** A Node example that prints `listening on <url>` (PORT=0: a free port). */
const startNodeExample = (file, env) =>
  startServer("node", [file], {
    env: { ...env, TURKEYSMS_BASE_URL: sandbox.url, PORT: "0" },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  });

/** A POST of JSON as a page served by the example's own origin sends it (with that Origin). */
const postJson = (server, path, body) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: server.url },
    body: JSON.stringify(body),
  });

/** Asserts the status; on a mismatch the message has the body and the server's output. Resolves to the JSON body. */
async function expectJson(response, status, server) {
  const text = await response.text();
  assert.equal(response.status, status, `${response.status} ${text}\n--- server output:\n${server.output()}`);
  return JSON.parse(text);
}

/** A code of the same length that is not `code`. */
const otherCode = (code) => String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");

/**
 * The tests every example passes, on the server `get()` returns once the describe's before hook
 * has started it. Resolves `flow.token` for the tests that follow.
 */
function otpFlowTests(get, env, flow = {}) {
  const mobile = uniqueMobile();

  test("POST /api/otp/send { mobile }: 200 TS-1024, and the SMS is in the sandbox's inbox", async () => {
    const server = get();
    const sent = await postJson(server, "/api/otp/send", { mobile: `0${mobile.slice(2)}` });
    const { id, ...fixed } = await expectJson(sent, 200, server);
    assert.deepEqual(fixed, { result: true, result_code: "TS-1024", result_message: "A code was sent." });
    assert.match(id, /^[\w-]{22}$/, "the send's opaque id");
    const inbox = await inboxOf(sandbox, mobile);
    assert.equal(inbox.length, 1, "one SMS reached the sandbox");
    assert.match(inbox[0].code, /^\d{6}$/);
    flow.code = inbox[0].code;
  });

  test("POST /api/otp/verify: a wrong code is 400 CODE_INVALID", async () => {
    const server = get();
    assert.ok(flow.code, "the send test ran first");
    const wrong = await postJson(server, "/api/otp/verify", { mobile, code: otherCode(flow.code) });
    assert.equal((await expectJson(wrong, 400, server)).result_code, "CODE_INVALID");
  });

  test("POST /api/otp/verify: the SMS's code is 200 VERIFIED, with a token verifyOtpToken accepts", async () => {
    const server = get();
    assert.ok(flow.code, "the send test ran first");
    const right = await postJson(server, "/api/otp/verify", { mobile, code: flow.code });
    const body = await expectJson(right, 200, server);
    assert.deepEqual(
      { ...body, token: typeof body.token },
      { result: true, result_code: "VERIFIED", result_message: "The code is right.", token: "string" },
    );
    const claims = await verifyOtpToken(body.token, { secret: env.OTP_SECRET });
    assert.equal(claims.mobile, mobile);
    await assert.rejects(verifyOtpToken(body.token, { secret: `another-${env.OTP_SECRET}` }), {
      code: "TOKEN_INVALID",
    });
    flow.token = body.token;
  });

  test("the server's output has no key, secret or code", () => {
    const output = get().output();
    assert.ok(!output.includes(env.TURKEYSMS_API_KEY), "no API key");
    assert.ok(!output.includes(env.OTP_SECRET), "no OTP secret");
    if (flow.code) assert.doesNotMatch(output, new RegExp(`(^|\\D)${flow.code}(\\D|$)`), "no code");
  });
  return flow;
}

describe("examples/node-http: node:http with @hono/node-server's getRequestListener", () => {
  const env = envFor("node-http");
  let server;
  before(async () => {
    server = await startNodeExample("examples/node-http/server.mjs", env);
  });
  after(() => server?.stop());
  otpFlowTests(() => server, env);

  test("a path outside /api/otp/ is the server's own 404", async () => {
    const response = await fetch(`${server.url}/elsewhere`);
    assert.deepEqual(await expectJson(response, 404, server), { error: "NOT_FOUND" });
  });
});

describe("examples/express: Express 5, the handler before express.json()", () => {
  const env = envFor("express");
  let server;
  before(async () => {
    server = await startNodeExample("examples/express/server.mjs", env);
  });
  after(() => server?.stop());
  const flow = otpFlowTests(() => server, env);

  test("POST /api/login (an express.json() route after the handler) answers the token's number; a bad token is 401", async () => {
    assert.ok(flow.token, "the verify test ran first");
    const login = await postJson(server, "/api/login", { token: flow.token });
    const { mobile } = await expectJson(login, 200, server);
    assert.match(mobile, /^90533\d{7}$/);
    const bad = await postJson(server, "/api/login", { token: `${flow.token}x` });
    assert.deepEqual(await expectJson(bad, 401, server), { error: "TOKEN_INVALID" });
  });
});

describe("examples/hono on Node: @hono/node-server's serve", () => {
  const env = envFor("hono-node");
  let server;
  before(async () => {
    server = await startNodeExample("examples/hono/src/node.mjs", env);
  });
  after(() => server?.stop());
  otpFlowTests(() => server, env);
});

describe("examples/hono on workerd: wrangler dev", () => {
  const env = envFor("hono-workerd");
  let server;
  before(async () => {
    server = await wranglerDev(join(consumerDir, "examples/hono"), { ...env, TURKEYSMS_BASE_URL: sandbox.url });
  });
  after(() => server?.stop());
  otpFlowTests(() => server, env);
});

describe("examples/nextjs: an App Router route handler, next build then next start", () => {
  const env = envFor("nextjs");
  const dir = join(consumerDir, "examples/nextjs");
  // No telemetry; nothing else in next build or next start reaches the network for this app.
  const nextEnv = { NEXT_TELEMETRY_DISABLED: "1", NO_COLOR: "1" };
  let server;
  let built = false;
  after(() => server?.stop());

  test("next build (into build/consumer/examples/nextjs/.next)", async (t) => {
    const started = performance.now();
    const build = await run("next", ["build"], { cwd: dir, env: nextEnv, timeoutMs: 300_000 });
    const ms = Math.round(performance.now() - started);
    assert.equal(build.code, 0, `${build.stdout}\n${build.stderr}`);
    assert.match(build.stdout, /ƒ \/api\/otp\/\[action\]/, "the route is dynamic");
    t.diagnostic(`next build took ${ms} ms`);
    built = true;
  });

  test("next start serves on a free port", async () => {
    assert.ok(built, "next build succeeded");
    // Another test file may take the free port before next binds it: then it tries again.
    for (let attempt = 1; !server; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      try {
        server = await startServer("next", ["start", "-H", "127.0.0.1", "-p", String(port)], {
          cwd: dir,
          // A page's Origin is compared with request.url, which Next makes http://localhost:<port>.
          env: { ...nextEnv, ...env, TURKEYSMS_BASE_URL: sandbox.url },
          ready: /Ready in/,
          url,
        });
      } catch (error) {
        if (attempt >= 3 || !/EADDRINUSE/.test(error.message)) throw error;
      }
    }
  });

  otpFlowTests(() => server, env);
});
