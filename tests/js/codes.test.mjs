// One OtpErrorCode union holds every code the SDK or the handler can produce: read from the code
// that produces them, so a new code without its type fails here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { HANDLER_SOURCES } from "../../../../scripts/runtime-files.mjs";

const pkg = (file) => readFileSync(new URL(`../../node_modules/turkeysms-otp/${file}`, import.meta.url), "utf8");
const repo = (file) => readFileSync(new URL(`../../../../${file}`, import.meta.url), "utf8");
const types = pkg("index.d.ts");
const union = new Set([...types.matchAll(/\|\s*"([A-Z_]+)"/g)].map((m) => m[1]));

test("every code the Rust rules produce is in OtpErrorCode", () => {
  const rust = [...repo("src/error.rs").matchAll(/=> "([A-Z_]+)",/g)].map((m) => m[1]);
  assert.ok(rust.length >= 15, "read the local codes of src/error.rs");
  for (const code of rust) assert.ok(union.has(code), `${code} is missing from index.d.ts`);
});

test("every code the JavaScript produces (instance, handler, its config) is in OtpErrorCode", () => {
  const sources = ["instance.js", "handler.js", ...HANDLER_SOURCES]
    .map((file) => repo(`pkg-template/${file}`))
    .join("\n");
  const codes = new Set([...sources.matchAll(/"([A-Z][A-Z_]{3,})"/g)].map((m) => m[1]));
  // Not error codes: HTTP methods, WebCrypto's algorithm, and the success of a check.
  for (const notACode of ["POST", "OPTIONS", "INTERNAL", "HMAC", "VERIFIED"]) codes.delete(notACode);
  for (const code of ["CODE_INVALID", "TOO_MANY_ATTEMPTS", "TOKEN_EXPIRED", "VERIFY_UNAVAILABLE"]) {
    assert.ok(codes.has(code), `read the verify step's codes: ${code}`);
  }
  assert.ok(codes.size >= 15, `read the handler's codes: ${[...codes]}`);
  for (const code of codes) assert.ok(union.has(code), `${code} is missing from index.d.ts`);
});
