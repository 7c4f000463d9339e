// The verify secret's rules (secrets.js): run from the source by `make test-unit`.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { checkSecrets, weakness } from "./secrets.js";

// The defaults of src/defaults.rs (tests/js/defaults.test.mjs holds the package to them).
const rules = { minSecretBytes: 32, minSecretBits: 128, maxSecrets: 4 };
const fail = (message) => {
  throw new Error(message);
};
const bytes = (text) => new TextEncoder().encode(text);

test("guessable secrets are refused", () => {
  for (const secret of ["a".repeat(32), "password".repeat(4), "changeme".repeat(4), "😀".repeat(8), "ab".repeat(40)]) {
    assert.match(weakness(bytes(secret), rules.minSecretBits), /repeated/, secret);
    assert.throws(() => checkSecrets(secret, rules, fail), /can be guessed/, secret);
  }
  // Not repeated, but too little variety: 40 bytes of two values is 40 bits.
  const twoValues = `${"ab".repeat(19)}ba`;
  assert.match(weakness(bytes(twoValues), rules.minSecretBits), /bits of variety/);
  assert.throws(() => checkSecrets("short", rules, fail), /at least 32 bytes/);
  assert.throws(() => checkSecrets(42, rules, fail), /at least 32 bytes/);
});

test("random base64 and hex of 32 bytes always pass", () => {
  for (let i = 0; i < 2000; i++) {
    const raw = randomBytes(32);
    for (const secret of [raw.toString("base64"), raw.toString("base64url"), raw.toString("hex")]) {
      assert.equal(weakness(bytes(secret), rules.minSecretBits), null, secret);
    }
  }
});

test("a list rotates: newest first, every one checked, at most maxSecrets", () => {
  const [a, b] = [randomBytes(32).toString("base64"), randomBytes(32).toString("hex")];
  const keys = checkSecrets([a, b], rules, fail);
  assert.deepEqual(
    keys.map((k) => new TextDecoder().decode(k)),
    [a, b],
  );
  assert.throws(() => checkSecrets([a, "a".repeat(32)], rules, fail), /verify\.secret\[1\] can be guessed/);
  assert.throws(() => checkSecrets([], rules, fail), /list of 1 to/);
  assert.throws(() => checkSecrets(Array(rules.maxSecrets + 1).fill(a), rules, fail), /list of 1 to/);
});
