// The package as Node users load it: ESM import and CJS require, from the installed tarball.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import * as esm from "turkeysms-otp";
import { inboxOf, startSandbox, uniqueKey, uniqueMobile } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const EXPORTS = [
  "OtpError",
  "OtpStore",
  "createOtpHandler",
  "createOtpService",
  "durableObjectStore",
  "estimateSegments",
  "getOtpStatus",
  "isOtpError",
  "memoryStore",
  "normalizeCode",
  "normalizeMobile",
  "otelMetrics",
  "ready",
  "redisStore",
  "sendCustomOtp",
  "sendOtp",
  "validateOptions",
  "verifyOtp",
  "verifyOtpToken",
];
/** The public names: `__internals` is for the package's own tests. */
const publicNames = (m) =>
  Object.keys(m)
    .filter((name) => !name.startsWith("__"))
    .sort();

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

test("import gives every export of the contract", () => {
  assert.deepEqual(publicNames(esm), EXPORTS);
});

test("require gives the same exports as import, over one wasm instance", () => {
  const cjs = require("turkeysms-otp");
  assert.deepEqual(publicNames(cjs), EXPORTS);
  assert.equal(esm.normalizeMobile("0532 123 45 67"), cjs.normalizeMobile("0532 123 45 67"));
  assert.equal(esm.__internals, cjs.__internals, "one module, so one wasm instance, for both");
  assert.equal(esm.OtpError, cjs.OtpError, "one error class for both");
});

test("importing loads no wasm: it is instantiated on the first call", async () => {
  const { spawnSync } = await import("node:child_process");
  // Counts the modules compiled: none on import, one on the first call, none after.
  const script =
    'let n = 0; WebAssembly.Module = new Proxy(WebAssembly.Module, { construct: (M, args) => (n++, Reflect.construct(M, args)) }); import("turkeysms-otp").then((m) => { console.log(n); m.normalizeMobile("05321234567"); console.log(n); m.normalizeMobile("05321234567"); console.log(n); })';
  const out = spawnSync(process.execPath, ["-e", script], {
    cwd: new URL("../../", import.meta.url).pathname,
    encoding: "utf8",
  });
  assert.deepEqual(out.stdout.trim().split("\n"), ["0", "1", "1"], out.stderr);
});

test("ESM import sends an OTP to the sandbox", async () => {
  const mobile = uniqueMobile();
  const result = await esm.sendOtp({ apiKey: uniqueKey("esm"), mobile, baseUrl: sandbox.url });
  assert.equal(result.code, "TS-1024");
  assert.equal((await inboxOf(sandbox, mobile)).length, 1);
});

test("CJS require sends an OTP to the sandbox", async () => {
  const { sendCustomOtp } = require("turkeysms-otp");
  const mobile = uniqueMobile();
  const result = await sendCustomOtp({
    apiKey: uniqueKey("cjs"),
    mobile,
    baseUrl: sandbox.url,
    title: "MyApp",
    text: "Code TS-CODE",
  });
  assert.equal(result.code, "TS-1024");
  const [sms] = await inboxOf(sandbox, mobile);
  assert.match(sms.text, /^Code \d{6}$/);
});

test("ready() resolves at once in Node, any number of times", async () => {
  await Promise.all([esm.ready(), esm.ready(), require("turkeysms-otp").ready()]);
});

test("the raw .wasm is exported as a subpath", () => {
  const path = require.resolve("turkeysms-otp/turkeysms_otp.wasm");
  assert.ok(new WebAssembly.Module(require("node:fs").readFileSync(path)));
});

test("package.json names the package, its types and its engines", () => {
  const manifest = require("turkeysms-otp/package.json");
  assert.equal(manifest.name, "turkeysms-otp");
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
  assert.equal(manifest.types, "./index.d.ts");
  assert.deepEqual(
    manifest.sideEffects,
    ["./browser.js", "./workerd.js", "./deno.js", "./node.cjs", "./node.mjs"],
    "only the entries run code on import (each configures the instance)",
  );
  assert.ok(manifest.engines.node);
  assert.equal(manifest.license, "MIT");
});

test("npx turkeysms-sandbox starts the sandbox from the installed package (its bin is a symlink)", async () => {
  const { spawn } = await import("node:child_process");
  // Its own process group: npx starts the bin as a child of its own, and both must go at the end.
  const child = spawn("npx", ["--no-install", "turkeysms-sandbox", "--port", "0"], {
    cwd: new URL("../../", import.meta.url).pathname,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  try {
    const line = await new Promise((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out);
      });
      child.on("exit", (code) =>
        reject(new Error(`npx turkeysms-sandbox exited with ${code} and printed ${JSON.stringify(out)}`)),
      );
      setTimeout(() => reject(new Error("no output within 20 s")), 20_000);
    });
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
    assert.ok(url, line);
    assert.equal((await fetch(`${url}/sandbox/messages`)).status, 200);
  } finally {
    process.kill(-child.pid, "SIGKILL");
    child.stdout.destroy();
    child.stderr.destroy();
  }
});
