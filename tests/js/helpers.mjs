// Shared by the JS suites. They run from a throwaway consumer folder where `turkeysms-otp` is the
// packed tarball, installed; the sandbox is this repository's, started in-process per suite.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startSandbox } from "../../sandbox/server.mjs";

export { startSandbox };

let counter = 0;
/** A mobile number no other test uses, so the sandbox's records and duplicate window stay apart. */
export function uniqueMobile() {
  counter += 1;
  return `90533${String(process.pid % 1000).padStart(3, "0")}${String(counter).padStart(4, "0")}`;
}

/** A key no other test uses. */
export function uniqueKey(label) {
  counter += 1;
  return `test-${label}-${process.pid}-${counter}`;
}

export const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** The requests the sandbox received for a number. */
export async function requestsFor(sandbox, mobile) {
  const response = await fetch(`${sandbox.url}/sandbox/requests?mobile=${mobile}`);
  return (await response.json()).requests;
}

/** The messages the sandbox delivered to a number. */
export async function inboxOf(sandbox, mobile) {
  const response = await fetch(`${sandbox.url}/sandbox/messages?mobile=${mobile}`);
  return (await response.json()).messages;
}

export async function queueFaults(sandbox, apiKey, faults) {
  const response = await fetch(`${sandbox.url}/sandbox/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ api_key: apiKey, faults }),
  });
  assert.equal(response.status, 200);
}

/** An object every look at throws: property reads, `in`, keys, its prototype. */
export function throwingProxy() {
  const trap = (name) => () => {
    throw new Error(`${name} trap`);
  };
  return new Proxy(
    {},
    { get: trap("get"), has: trap("has"), ownKeys: trap("ownKeys"), getPrototypeOf: trap("prototype") },
  );
}

/** Asserts the promise rejects (or the function throws) with an OtpError of `code`; returns it. */
export async function rejectsWith(work, code, expected = {}) {
  let error;
  try {
    await (typeof work === "function" ? work() : work);
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected an OtpError ${code}, but it succeeded`);
  assert.ok(error instanceof Error, "an OtpError is an Error");
  assert.equal(error.name, "OtpError");
  assert.equal(error.code, code, error.message);
  assert.equal(typeof error.message, "string");
  assert.ok(error.message.length > 10, "the message says what to do");
  assert.equal(typeof error.retryable, "boolean");
  assert.equal(typeof error.attempts, "number");
  for (const [name, value] of Object.entries(expected)) assert.deepEqual(error[name], value, `error.${name}`);
  return error;
}

/** Every way an error can be printed: none may contain `secret`. */
export function assertNoSecret(error, secret) {
  for (const text of [error.message, String(error), error.stack, JSON.stringify(error), JSON.stringify({ ...error })]) {
    assert.ok(!String(text).includes(secret), `the key leaked into: ${text}`);
  }
}
