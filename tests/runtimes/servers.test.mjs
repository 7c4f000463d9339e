// Node, Deno, Bun and workerd, each importing the installed package by name and sending to the
// sandbox; and the examples in examples/, run as written.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { inboxOf, startSandbox } from "../js/helpers.mjs";
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

  test("examples/edge-proxy: the key stays in the Worker, the page sends none", async () => {
    const worker = await wranglerDev(join(consumerDir, "examples/edge-proxy"), {
      TURKEYSMS_BASE_URL: sandbox.url,
      TURKEYSMS_API_KEY: "example-worker-SECRET",
    });
    try {
      const send = (body) =>
        fetch(`${worker.url}/api/otp/send`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
      const ok = await send({ mobile: "0534 111 22 03", digits: 5 });
      assert.equal(ok.status, 200, worker.output());
      assert.equal((await ok.json()).result_code, "TS-1024");
      const [request] = (await (await fetch(`${sandbox.url}/sandbox/requests?mobile=905341112203`)).json()).requests;
      // The Worker adds the key; the page's digits are ignored (the server decides them).
      assert.deepEqual(request.body, { api_key: "[redacted]", mobile: "905341112203" });
      const bad = await send({ mobile: "12" });
      assert.equal(bad.status, 400);
      const badBody = await bad.text();
      assert.match(badBody, /INVALID_MOBILE/);
      assert.ok(!badBody.includes("example-worker-SECRET"));
    } finally {
      await worker.stop();
    }
  });
});

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
      assert.equal((await inboxOf(sandbox, report.mobile)).length, 1);
    });
  }
});
