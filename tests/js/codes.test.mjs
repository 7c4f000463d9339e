// One OtpErrorCode union holds every code the SDK or the handler can produce: read from the code
// that produces them, so a new code without its type fails here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

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
  const sources = ["pkg-template/instance.js", "pkg-template/handler.js", "pkg-template/handler-config.js"]
    .map(repo)
    .join("\n");
  const codes = new Set([...sources.matchAll(/"([A-Z][A-Z_]{3,})"/g)].map((m) => m[1]));
  for (const notACode of ["POST", "OPTIONS", "INTERNAL"]) codes.delete(notACode);
  assert.ok(codes.size >= 15, `read the handler's codes: ${[...codes]}`);
  for (const code of codes) assert.ok(union.has(code), `${code} is missing from index.d.ts`);
});
