// Stack traces lead to the caller: an OtpError's stack starts at the code that called the package
// (async frames included), never in the wasm or the minified glue, and an unhandled rejection
// prints the caller's line, not a minified file.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { createOtpHandler, normalizeMobile, sendOtp, verifyOtpToken } from "turkeysms-otp";
import { run } from "../runtimes/processes.mjs";

const here = fileURLToPath(import.meta.url);
/** The frames of a stack, without its first line (the message). */
const frames = (error) => error.stack.split("\n").filter((line) => /^\s+at /.test(line));
const PACKAGE_FILES = /node_modules\/turkeysms-otp\/|glue|\.wasm|wasm-function/;

function assertLeadsHere(error, caller) {
  const list = frames(error);
  assert.ok(list.length > 0, error.stack);
  assert.match(
    list[0],
    new RegExp(`${caller}.*${here.split("/").at(-1)}`),
    `the first frame is ${caller}: ${error.stack}`,
  );
  assert.ok(!list.some((line) => PACKAGE_FILES.test(line)), `no frame inside the package: ${error.stack}`);
  assert.match(error.stack, /^OtpError: /);
  assert.match(inspect(error), /^OtpError: /, "console.log shows the class by name");
}

test("an async call's rejection: the stack is the caller's async frames", async () => {
  async function signIn() {
    await sendOtp({ apiKey: "k", mobile: "12" });
  }
  const error = await signIn().catch((e) => e);
  assert.equal(error.code, "INVALID_MOBILE");
  assertLeadsHere(error, "signIn");
});

test("the synchronous helpers, createOtpHandler and verifyOtpToken: the stack starts at the caller", async () => {
  function readForm() {
    return normalizeMobile("12");
  }
  function makeHandler() {
    return createOtpHandler({});
  }
  async function checkToken() {
    return await verifyOtpToken("not-a-token", { secret: "a-secret-of-at-least-32-bytes-long!" });
  }
  const thrown = (fn) => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    assert.fail("did not throw");
  };
  assertLeadsHere(thrown(readForm), "readForm");
  assertLeadsHere(thrown(makeHandler), "makeHandler");
  assertLeadsHere(await checkToken().catch((e) => e), "checkToken");
});

test("require() gives the same stacks", async () => {
  const cjs = createRequire(import.meta.url)("turkeysms-otp");
  async function viaRequire() {
    await cjs.sendOtp({ apiKey: "k", mobile: "12" });
  }
  assertLeadsHere(await viaRequire().catch((e) => e), "viaRequire");
});

test("an unhandled rejection prints the caller's line, not a minified file", async () => {
  const script = fileURLToPath(new URL("../../unhandled.mjs", import.meta.url));
  writeFileSync(
    script,
    'import { sendOtp } from "turkeysms-otp";\n\nasync function signIn() {\n  await sendOtp({ apiKey: "k", mobile: "12" });\n}\nawait signIn();\n',
  );
  const { code, stderr } = await run("node", [script]);
  assert.equal(code, 1);
  assert.ok(stderr.includes(`${script}:4`), stderr);
  assert.ok(
    stderr.includes('await sendOtp({ apiKey: "k", mobile: "12" });'),
    "the source line printed is the caller's",
  );
  assert.match(stderr, /OtpError: mobile is too short/);
  assert.match(stderr, /code: 'INVALID_MOBILE'/);
  const longest = Math.max(...stderr.split("\n").map((line) => line.length));
  assert.ok(longest < 200, `no minified line in the output (longest ${longest} characters)`);
});
