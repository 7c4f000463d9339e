// One OtpErrorCode union holds every code the SDK or the handler can produce: read from the code
// that produces them, so a new code without its type fails here.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const pkg = (file) => readFileSync(new URL(`../../node_modules/turkeysms-otp/${file}`, import.meta.url), "utf8");
const repo = (file) => readFileSync(new URL(`../../../../${file}`, import.meta.url), "utf8");
const types = pkg("index.d.ts");
// The members of every string union (`= "A" | "B"` or `| "A"` on its own line).
const union = new Set([...types.matchAll(/[|=]\s*"([A-Z_]+)"/g)].map((m) => m[1]));

test("every code the Rust rules produce is in OtpErrorCode", () => {
  const rust = [...repo("src/error.rs").matchAll(/=> "([A-Z_]+)",/g)].map((m) => m[1]);
  assert.ok(rust.length >= 15, "read the local codes of src/error.rs");
  for (const code of rust) assert.ok(union.has(code), `${code} is missing from index.d.ts`);
});

/**
 * Every JavaScript file of pkg-template/ that makes OtpErrors: the instance, the server, the
 * stores. (adapters/ speaks its framework's codes: better-auth's APIError names.)
 */
const javascript = () => [
  "instance.js",
  ...["server", "stores"].flatMap((dir) =>
    readdirSync(new URL(`../../../../pkg-template/${dir}`, import.meta.url), { recursive: true })
      .filter((file) => file.endsWith(".js") && !file.endsWith(".test.js"))
      .map((file) => `${dir}/${file}`),
  ),
];

test("every code the JavaScript produces (instance, service, handler, answers) is in OtpErrorCode", () => {
  const sources = javascript()
    .map((file) => repo(`pkg-template/${file}`))
    .join("\n");
  // Quoted codes, and the keys of the answers table (server/answers.js).
  const quoted = [...sources.matchAll(/"([A-Z][A-Z_]{3,})"/g)].map((m) => m[1]);
  const keys = [...repo("pkg-template/server/answers.js").matchAll(/^ {2}([A-Z][A-Z_]{3,}): \[/gm)].map((m) => m[1]);
  assert.ok(keys.length >= 20, `read the answers table: ${keys}`);
  const codes = new Set([...quoted, ...keys]);
  // Not error codes: HTTP methods, WebCrypto's algorithms, the successes of a check and of a webhook.
  for (const notACode of [
    "POST",
    "OPTIONS",
    "INTERNAL",
    "HMAC",
    "VERIFIED",
    "ACCEPTED",
    "SHA-1",
    "NOSCRIPT",
    "OTP_STORE",
  ])
    codes.delete(notACode);
  for (const code of ["CODE_INVALID", "TOO_MANY_ATTEMPTS", "TOKEN_EXPIRED", "VERIFY_UNAVAILABLE"]) {
    assert.ok(codes.has(code), `read the verify step's codes: ${code}`);
  }
  assert.ok(codes.size >= 15, `read the handler's codes: ${[...codes]}`);
  for (const code of codes) assert.ok(union.has(code), `${code} is missing from index.d.ts`);
});
