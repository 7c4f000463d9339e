// Node, Deno, Bun and workerd, each importing the installed package by name and sending to the
// sandbox; and the examples in examples/, run as written.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { verifyOtpToken } from "turkeysms-otp";
import { inboxOf, startSandbox, uniqueMobile } from "../js/helpers.mjs";
import { consumerDir, run, wranglerDev } from "./processes.mjs";

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

/** The smoke report of a server-side runtime: everything works right after import. */
async function assertSmoke(report, name) {
  assert.equal(report.name, name);
  assert.equal(report.syncAtImport, true, "the synchronous helpers work right after import");
  assert.deepEqual(report.sent, { code: "TS-1024", mobile: report.mobile, smsId: "number" });
  assert.equal((await inboxOf(sandbox, report.mobile)).length, 1, "the SMS reached the sandbox");
  assert.equal(report.normalized, "905321234567");
  assert.deepEqual(report.validation, ["MISSING_API_KEY", "INVALID_MOBILE"]);
  assert.deepEqual(report.segments, { encoding: "UCS-2", characters: 11, segments: 1 });
  assert.deepEqual(report.rejection, { name: "OtpError", code: "MISSING_PLACEHOLDER", isError: true, attempts: 0 });
}

async function smokeIn(command, args, name) {
  const { code, stdout, stderr } = await run(command, [
    ...args,
    "tests/runtimes/fixtures/script.mjs",
    sandbox.url,
    name,
  ]);
  assert.equal(code, 0, stderr);
  await assertSmoke(JSON.parse(stdout.trim().split("\n").at(-1)), name);
}

describe("runtimes", () => {
  test("Node 20 (ESM)", () => smokeIn("node", [], "node"));
  test("Deno 2, with network to 127.0.0.1 only and no read permission", () =>
    smokeIn("deno", ["run", "--allow-net=127.0.0.1", "--no-prompt"], "deno"));
  test("Bun 1", () => smokeIn("bun", ["run"], "bun"));

  test("workerd, under wrangler dev", async () => {
    const worker = await wranglerDev(join(consumerDir, "tests/runtimes/fixtures/worker"));
    try {
      const response = await fetch(`${worker.url}/?sandbox=${encodeURIComponent(sandbox.url)}`);
      assert.equal(response.status, 200, worker.output());
      await assertSmoke(await response.json(), "workerd");
    } finally {
      await worker.stop();
    }
  });
});

describe("examples, run as written", () => {
  test("examples/node/send-otp.mjs", async () => {
    const { code, stdout, stderr } = await run("node", ["examples/node/send-otp.mjs", "0534 111 22 01"], {
      env: { TURKEYSMS_API_KEY: "example-node", TURKEYSMS_BASE_URL: sandbox.url },
    });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^sent to 905341112201: TS-1024 \(sms_id \d+\)/);
    assert.equal((await inboxOf(sandbox, "905341112201")).length, 1);
  });

  test("examples/node/send-otp.mjs reports a typed failure", async () => {
    const { code, stderr } = await run("node", ["examples/node/send-otp.mjs", "0212 111 22 01"], {
      env: { TURKEYSMS_API_KEY: "example-node", TURKEYSMS_BASE_URL: sandbox.url },
    });
    assert.equal(code, 1);
    assert.match(stderr, /^not sent: INVALID_MOBILE: /);
  });

  test("examples/deno/send-otp.ts type-checks and sends", async () => {
    const check = await run("deno", ["check", "examples/deno/send-otp.ts"]);
    assert.equal(check.code, 0, check.stderr);
    const { code, stdout, stderr } = await run(
      "deno",
      ["run", "--allow-env", "--allow-net=127.0.0.1", "--no-prompt", "examples/deno/send-otp.ts", "0534 111 22 02"],
      {
        env: { TURKEYSMS_API_KEY: "example-deno", TURKEYSMS_BASE_URL: sandbox.url },
      },
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^sent to 905341112202: TS-1024/);
    const [sms] = await inboxOf(sandbox, "905341112202");
    assert.match(sms.text, /^MyApp code: \d{6}$/);
  });

  // The Worker's Durable Object keeps its counters in .wrangler/ across runs of one consumer
  // folder: a number of its own per run (uniqueMobile) keeps a rerun clear of the cooldown.
  test("examples/edge-proxy: the key stays in the Worker, the page sends none", async () => {
    const worker = await wranglerDev(join(consumerDir, "examples/edge-proxy"), {
      TURKEYSMS_BASE_URL: sandbox.url,
      TURKEYSMS_API_KEY: "example-worker-SECRET",
      OTP_SECRET: EDGE_OTP_SECRET,
    });
    try {
      const send = (body) => postJson(`${worker.url}/api/otp/send`, body);
      const mobile = uniqueMobile();
      const ok = await send({ mobile: `0${mobile.slice(2)}`, digits: 5 });
      assert.equal(ok.status, 200, worker.output());
      assert.equal((await ok.json()).result_code, "TS-1024");
      const [request] = (await (await fetch(`${sandbox.url}/sandbox/requests?mobile=${mobile}`)).json()).requests;
      // The Worker adds the key; the page's digits are ignored (the server decides them).
      assert.deepEqual(request.body, { api_key: "[redacted]", mobile });
      const bad = await send({ mobile: "12" });
      assert.equal(bad.status, 400);
      const badBody = await bad.text();
      assert.match(badBody, /INVALID_MOBILE/);
      assert.ok(!badBody.includes("example-worker-SECRET"));
    } finally {
      await worker.stop();
    }
  });

  test("examples/edge-proxy: the code from the SMS verifies through the Worker, once; a wrong one is CODE_INVALID", async () => {
    const worker = await wranglerDev(join(consumerDir, "examples/edge-proxy"), {
      TURKEYSMS_BASE_URL: sandbox.url,
      TURKEYSMS_API_KEY: "example-worker-SECRET",
      OTP_SECRET: EDGE_OTP_SECRET,
    });
    try {
      const mobile = uniqueMobile();
      const check = (code) => postJson(`${worker.url}/api/otp/verify`, { mobile, code });
      const sent = await postJson(`${worker.url}/api/otp/send`, { mobile });
      assert.equal(sent.status, 200, worker.output());
      const [sms] = await inboxOf(sandbox, mobile);
      assert.match(sms.code, /^\d{6}$/);

      const wrong = await check(otherCode(sms.code));
      assert.equal(wrong.status, 400, worker.output());
      assert.equal((await wrong.json()).result_code, "CODE_INVALID");

      const right = await check(sms.code);
      assert.equal(right.status, 200, worker.output());
      const body = await right.json();
      assert.deepEqual(
        { ...body, token: typeof body.token },
        { result: true, result_code: "VERIFIED", result_message: "The code is right.", token: "string" },
      );
      // A backend with the same secret accepts the token, for this number.
      const claims = await verifyOtpToken(body.token, { secret: EDGE_OTP_SECRET });
      assert.equal(claims.mobile, mobile);
      assert.equal(claims.sub, mobile);

      const again = await check(sms.code);
      assert.equal(again.status, 400);
      assert.equal((await again.json()).result_code, "CODE_INVALID", "a code works once");
      assert.doesNotMatch(
        worker.output(),
        new RegExp(`(^|\\D)${sms.code}(\\D|$)`),
        "the Worker's log never shows the code",
      );
    } finally {
      await worker.stop();
    }
  });

  const BACKEND_ENV = {
    TURKEYSMS_API_KEY: "example-backend-SECRET",
    OTP_SECRET: "example-backend-OTP-SECRET-0123456789abcdef",
    PORT: "0",
  };

  test("examples/node-backend/server.mjs: send and verify under /api, then POST /login with the token; a tampered token is 401 TOKEN_INVALID", async () => {
    const server = await startNode("examples/node-backend/server.mjs", {
      ...BACKEND_ENV,
      TURKEYSMS_BASE_URL: sandbox.url,
    });
    try {
      const sent = await postJson(`${server.url}/api/otp/send`, { mobile: "0534 111 22 07" });
      assert.equal(sent.status, 200, server.output());
      assert.equal((await sent.json()).result_code, "TS-1024");
      const [request] = (await (await fetch(`${sandbox.url}/sandbox/requests?mobile=905341112207`)).json()).requests;
      assert.deepEqual(request.body, { api_key: "[redacted]", mobile: "905341112207" }, "the server added the key");
      const [sms] = await inboxOf(sandbox, "905341112207");

      const verified = await postJson(`${server.url}/api/otp/verify`, { mobile: "0534 111 22 07", code: sms.code });
      assert.equal(verified.status, 200, server.output());
      const { result_code, token } = await verified.json();
      assert.equal(result_code, "VERIFIED");

      const login = await postJson(`${server.url}/login`, { token });
      assert.equal(login.status, 200, server.output());
      assert.deepEqual(await login.json(), { mobile: "905341112207" });

      // The same signature over another number: the claims were edited.
      const [header, payload, signature] = token.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
      const edited = Buffer.from(JSON.stringify({ ...claims, sub: "905341112299" })).toString("base64url");
      const tampered = await postJson(`${server.url}/login`, { token: `${header}.${edited}.${signature}` });
      assert.equal(tampered.status, 401);
      assert.deepEqual(await tampered.json(), { error: "TOKEN_INVALID" });

      const none = await postJson(`${server.url}/login`, {});
      assert.equal(none.status, 401);
      assert.deepEqual(await none.json(), { error: "TOKEN_INVALID" });

      for (const secret of [BACKEND_ENV.TURKEYSMS_API_KEY, BACKEND_ENV.OTP_SECRET]) {
        assert.ok(!server.output().includes(secret), "the server logs no key or secret");
      }
      assert.doesNotMatch(server.output(), new RegExp(`(^|\\D)${sms.code}(\\D|$)`), "nor the code");
    } finally {
      await server.stop();
    }
  });

  test("examples/node-backend/server.mjs will not start with a short OTP_SECRET, and does not print it", async () => {
    const { code, stdout, stderr } = await run("node", ["examples/node-backend/server.mjs"], {
      env: { ...BACKEND_ENV, TURKEYSMS_BASE_URL: sandbox.url, OTP_SECRET: "short-SECRET" },
      timeoutMs: 10_000,
    });
    assert.equal(code, 1, stdout);
    assert.match(stderr, /^config: INVALID_CONFIG \(verify\.secret\): /);
    assert.ok(!stderr.includes("short-SECRET"));
  });
});

/** The edge-proxy Worker's verify.secret in these tests (a var, like its API key). */
const EDGE_OTP_SECRET = "example-worker-OTP-SECRET-0123456789abcdef";

const postJson = (url, body) =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

/** A code of the same length that is not `code`. */
const otherCode = (code) => String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");

/**
 * A Node example that serves until stopped: resolves to { url, stop(), output() } once it prints
 * `listening on <url>`.
 */
function startNode(file, env) {
  const child = spawn("node", [file], { cwd: consumerDir, env: { ...process.env, ...env } });
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${file} did not start:\n${output}`));
    }, 10_000);
    const watch = (d) => {
      output += d;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stop, output: () => output });
      }
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", watch);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}:\n${output}`));
    });
  });
}

describe("createOtpHandler as a server's fetch handler", () => {
  for (const [runtime, args] of [
    ["deno", ["run", "--allow-net=127.0.0.1", "--no-prompt"]],
    ["bun", ["run"]],
  ]) {
    test(`${runtime === "deno" ? "Deno.serve" : "Bun.serve"}`, async () => {
      const { code, stdout, stderr } = await run(runtime, [
        ...args,
        "tests/runtimes/fixtures/serve-script.mjs",
        sandbox.url,
      ]);
      assert.equal(code, 0, stderr);
      const report = JSON.parse(stdout.trim().split("\n").at(-1));
      assert.deepEqual(report.sent, [200, "TS-1024"]);
      assert.deepEqual(report.again, [429, "COOLDOWN"]);
      assert.deepEqual(report.foreign, [403, "COUNTRY_NOT_ALLOWED"]);
      assert.deepEqual(report.service, [true, "string"], "createOtpService sends, with no HTTP");
      assert.equal((await inboxOf(sandbox, report.mobile)).length, 2, "one from the handler, one from the service");
    });
  }
});
