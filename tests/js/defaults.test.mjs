// Each default and limit is defined once, in Rust (src/defaults.rs): the types and the README
// must say the same numbers, and the handler must use them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { __defaults, __internals } from "turkeysms-otp";

const require = createRequire(import.meta.url);
const types = readFileSync(require.resolve("turkeysms-otp/package.json").replace("package.json", "index.d.ts"), "utf8");
const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
// The SDK's defaults as the wasm gives them, and the server's as the build wrote them from the
// same Rust (src/bin/defaults.rs).
const d = { ...__internals.defaults(), handler: __defaults.handler };

/** The numbers in a text, written with or without thousands separators ("60 000", "3_600_000"). */
const numbers = (text) => (text.match(/\d[\d _,]*\d|\d/g) ?? []).map((n) => Number(n.replace(/[ _,]/g, "")));

/** The doc comment just above `name?:` in index.d.ts (the service's options by default). */
function documented(name, within = "OtpServiceConfig") {
  const start = types.indexOf(`interface ${within} `);
  const body = types.slice(start, types.indexOf("\n}", start));
  const at = body.search(new RegExp(`\\n\\s*${name}\\??:`));
  assert.ok(start >= 0 && at > 0, `index.d.ts documents ${within}.${name}`);
  const comment = body.slice(body.lastIndexOf("/**", at), at);
  return numbers(comment);
}

/** The cells of the README table row whose first cell names `name`, the first after `heading`. */
function row(name, heading = "") {
  const line = readme
    .slice(readme.indexOf(heading))
    .split("\n")
    .find((l) => l.startsWith("|") && l.split("|")[1].includes(`\`${name}\``));
  assert.ok(line, `the README has a row for ${name}`);
  return numbers(line.split("|").slice(2).join("|"));
}

test("the defaults come from the Rust rules, in the names JavaScript uses", () => {
  assert.deepEqual(__defaults.sdk, __internals.defaults(), "the server's copy of the SDK's defaults is the wasm's");
  assert.deepEqual(Object.keys(d).sort(), [
    "handler",
    "maxResponseBytes",
    "maxRetries",
    "maxRetriesLimit",
    "maxTimeoutMs",
    "timeoutMs",
  ]);
  assert.equal(d.maxTimeoutMs, 2 ** 31 - 1, "JavaScript's largest timer delay");
});

test("index.d.ts states every default the rules apply", () => {
  assert.ok(documented("timeoutMs", "SendOtpOptions").includes(d.timeoutMs));
  assert.ok(documented("maxRetries", "SendOtpOptions").includes(d.maxRetries));
  assert.ok(documented("cooldownMs").includes(d.handler.cooldownMs));
  assert.ok(documented("perNumber").includes(d.handler.perNumber.limit));
  assert.ok(documented("perIp").includes(d.handler.perIp.limit));
  assert.ok(documented("globalPerMinute").includes(d.handler.globalPerMinute));
  assert.ok(documented("maxBodyBytes", "OtpHandlerConfig").includes(d.handler.maxBodyBytes));
  assert.ok(documented("bodyTimeoutMs", "OtpHandlerConfig").includes(d.handler.bodyTimeoutMs));
  const v = d.handler.verify;
  assert.ok(documented("codeTtlMs", "OtpVerifyConfig").includes(v.codeTtlMs));
  assert.ok(documented("maxAttempts", "OtpVerifyConfig").includes(v.maxAttempts));
  assert.ok(documented("perNumber", "OtpVerifyConfig").includes(v.perNumber.limit));
  assert.ok(documented("perIp", "OtpVerifyConfig").includes(v.perIp.limit));
  assert.ok(documented("tokenTtlMs", "OtpVerifyConfig").includes(v.tokenTtlMs));
  assert.ok(documented("secret", "OtpVerifyConfig").includes(v.minSecretBytes));
  assert.ok(documented("timeoutMs", "VerifyOtpOptions").includes(d.timeoutMs));
});

test("the README's tables state the same defaults and limits", () => {
  assert.deepEqual(row("timeoutMs", "## Options of sendOtp"), [d.timeoutMs, 1, d.maxTimeoutMs]);
  assert.deepEqual(row("maxRetries", "## Options of sendOtp"), [d.maxRetries, 0, d.maxRetriesLimit, 0]);
  assert.deepEqual(row("cooldownMs"), [d.handler.cooldownMs / 1000, 429]);
  assert.deepEqual(row("perNumber"), [d.handler.perNumber.limit, 429]);
  assert.equal(row("perIp")[0], d.handler.perIp.limit);
  assert.deepEqual(row("globalPerMinute"), [d.handler.globalPerMinute, 429]);
  assert.deepEqual(row("maxBodyBytes"), [d.handler.maxBodyBytes, 413]);
  assert.deepEqual(row("bodyTimeoutMs"), [d.handler.bodyTimeoutMs / 1000, 408]);
  const turnstile = readme.split("\n").find((l) => l.startsWith("| Cloudflare Turnstile"));
  assert.ok(turnstile.includes(`within ${d.handler.turnstileTimeoutMs / 1000} s`), turnstile);
  assert.equal(d.handler.perNumber.windowMs, 3_600_000, "the README says per hour");
  assert.equal(d.handler.perIp.windowMs, 3_600_000, "the README says per hour");
});

test("the README's table of every handler option states the same defaults", () => {
  const h = d.handler;
  const at = "## Every option of createOtpHandler";
  assert.deepEqual(row("timeoutMs", at), [d.timeoutMs]);
  assert.deepEqual(row("maxRetries", at), [d.maxRetries, 1060]);
  assert.deepEqual(row("cooldownMs", at), [h.cooldownMs, 0]);
  assert.deepEqual(row("perNumber", at), [h.perNumber.limit, h.perNumber.windowMs]);
  assert.deepEqual(row("perIp", at), [h.perIp.limit, h.perIp.windowMs]);
  assert.deepEqual(row("globalPerMinute", at), [h.globalPerMinute]);
  assert.deepEqual(row("proxyHops", at), [h.proxyHops]);
  assert.deepEqual(row("maxBodyBytes", at), [h.maxBodyBytes]);
  assert.deepEqual(row("bodyTimeoutMs", at), [h.bodyTimeoutMs]);
  const memory = readme
    .slice(readme.indexOf(at))
    .split("\n")
    .find((l) => l.startsWith("| `memoryStore("));
  assert.ok(numbers(memory).includes(h.maxCounters), memory);
});

test("the messages name the limits the rules check", async () => {
  const { validateOptions } = await import("turkeysms-otp");
  const [timeout] = validateOptions({ mobile: "05321234567", apiKey: "k", timeoutMs: 0 }, "standard").issues;
  assert.deepEqual(numbers(timeout.message), [1, d.maxTimeoutMs, d.timeoutMs]);
  const [retries] = validateOptions({ mobile: "05321234567", apiKey: "k", maxRetries: 99 }, "standard").issues;
  assert.deepEqual(numbers(retries.message), [0, d.maxRetriesLimit, d.maxRetries, 0]);
});
