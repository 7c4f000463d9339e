// One schema of options (pkg-template/server/options.js): each option of createOtpService and
// createOtpHandler is one row there, and index.d.ts and docs/API.md must say the same: the same
// names, in the right interface, with the default the row gives (from src/defaults.rs).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { __defaults, __options, __verifyOptions, createOtpHandler, createOtpService } from "turkeysms-otp";

const require = createRequire(import.meta.url);
const types = readFileSync(require.resolve("turkeysms-otp/package.json").replace("package.json", "index.d.ts"), "utf8");
const api = readFileSync(new URL("../../../../docs/API.md", import.meta.url), "utf8");
const d = __defaults.handler;

/** The properties of `interface name` in index.d.ts, each with the doc comment above it. */
function properties(name) {
  const start = types.indexOf(`export interface ${name} `);
  assert.ok(start >= 0, `index.d.ts has ${name}`);
  const body = types.slice(types.indexOf("{", start) + 1, types.indexOf("\n}", start));
  const props = new Map();
  for (const m of body.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)?\s*\n {2}(\w+)\??:/g)) props.set(m[2], m[1] ?? "");
  return props;
}

/** The rows of the API.md table under the heading `heading`: name → the rest of the row. */
function tableRows(heading) {
  const start = api.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `docs/API.md has the heading ${heading}`);
  const rows = new Map();
  for (const line of api.slice(start).split("\n").slice(2)) {
    if (line.startsWith("#")) break;
    const m = /^\| `([\w.]+)` \|(.*)$/.exec(line);
    if (m) rows.set(m[1], m[2]);
  }
  return rows;
}

const numbers = (text) => (text.match(/\d[\d _,]*\d|\d/g) ?? []).map((n) => Number(n.replace(/[ _,]/g, "")));
/** The numbers a row's default must state: a number, or a limit's limit and window. */
function defaultNumbers(row) {
  const value = row.default?.(d);
  if (typeof value === "number") return [value];
  if (value && typeof value === "object" && "limit" in value) return [value.limit];
  return [];
}

test("index.d.ts: every option of the schema, in its interface, stating its default; nothing else", () => {
  const service = properties("OtpServiceConfig");
  const handler = properties("OtpHandlerConfig");
  const verify = properties("OtpVerifyConfig");
  for (const [name, row] of Object.entries(__options)) {
    const where = row.http ? handler : service;
    assert.ok(where.has(name), `${name} is in ${row.http ? "OtpHandlerConfig" : "OtpServiceConfig"}`);
    for (const n of defaultNumbers(row)) assert.ok(numbers(where.get(name)).includes(n), `${name}'s doc says ${n}`);
  }
  for (const [name, row] of Object.entries(__verifyOptions)) {
    assert.ok(verify.has(name), `OtpVerifyConfig has ${name}`);
    for (const n of defaultNumbers(row))
      assert.ok(numbers(verify.get(name)).includes(n), `verify.${name}'s doc says ${n}`);
  }
  const rows = new Set(Object.keys(__options));
  for (const name of [...service.keys(), ...handler.keys()])
    assert.ok(rows.has(name), `${name} has a row in the schema`);
  assert.deepEqual([...verify.keys()].sort(), Object.keys(__verifyOptions).sort());
});

test("docs/API.md: one table row per option, naming where it applies and its default", () => {
  const rows = tableRows("### Options");
  assert.deepEqual([...rows.keys()].sort(), Object.keys(__options).sort());
  for (const [name, row] of Object.entries(__options)) {
    const cells = rows.get(name);
    assert.equal(cells.includes("handler only"), Boolean(row.http), `${name}: "handler only" when it is HTTP's`);
    for (const n of defaultNumbers(row)) assert.ok(numbers(cells).includes(n), `${name}'s row says ${n}: ${cells}`);
  }
  const verify = tableRows("### `verify` (`OtpVerifyConfig`)");
  assert.deepEqual([...verify.keys()].sort(), Object.keys(__verifyOptions).sort());
  for (const [name, row] of Object.entries(__verifyOptions)) {
    assert.equal(verify.get(name).includes("handler only"), Boolean(row.http), `verify.${name}`);
    for (const n of defaultNumbers(row)) assert.ok(numbers(verify.get(name)).includes(n), `verify.${name}: ${n}`);
  }
});

test("the service refuses the handler's HTTP options by name; the handler takes them", () => {
  for (const name of Object.keys(__options).filter((n) => __options[n].http)) {
    const value = {
      prefix: "/api",
      allowedOrigins: [],
      trustProxy: "none",
      proxyHops: 1,
      maxBodyBytes: 1,
      bodyTimeoutMs: 1,
      turnstile: { secret: "s" },
    }[name];
    assert.throws(
      () => createOtpService({ apiKey: "k", [name]: value }),
      (e) => e.code === "INVALID_CONFIG" && e.field === name && /createOtpHandler/.test(e.message),
      name,
    );
    assert.equal(typeof createOtpHandler({ apiKey: "k", [name]: value }), "function", name);
  }
});

test("guard: {} is on with the defaults, it needs verify, and each field is checked by name", () => {
  const verify = { secret: "Qm7Tz2Vb9Lx4Kw1Rj8Hd5Ns3Gf6Yc0Pe" };
  const g = d.guard;
  assert.deepEqual(
    [g.minSends, g.minConversion, g.windowMs, g.suspendMs, g.prefixDigits],
    [20, 0.2, 3_600_000, 3_600_000, 8],
    "the defaults of src/defaults.rs",
  );
  for (const make of [createOtpService, createOtpHandler]) {
    assert.equal(typeof make({ apiKey: "k", verify, guard: {} }), make === createOtpService ? "object" : "function");
    assert.equal(
      typeof make({ apiKey: "k", verify, guard: undefined }),
      make === createOtpService ? "object" : "function",
    );
    assert.throws(
      () => make({ apiKey: "k", guard: {} }),
      (e) => e.code === "INVALID_CONFIG" && e.field === "guard" && /guard needs verify/.test(e.message),
    );
  }
  const refused = {
    "not an object": [
      [],
      "guard",
      /guard must be \{ minSends\?, minConversion\?, windowMs\?, suspendMs\?, prefixDigits\? \}/,
    ],
    null: [null, "guard", /guard must be/],
    "an unknown field": [{ minSend: 3 }, "guard.minSend", /unknown option guard\.minSend; the options are minSends/],
    "minSends 0": [{ minSends: 0 }, "guard.minSends", /guard\.minSends must be a whole number of at least 1/],
    "minSends 1.5": [{ minSends: 1.5 }, "guard.minSends", /at least 1/],
    "minConversion -0.1": [{ minConversion: -0.1 }, "guard.minConversion", /from 0 to 1/],
    "minConversion 1.5": [{ minConversion: 1.5 }, "guard.minConversion", /from 0 to 1/],
    'minConversion "0.2"': [{ minConversion: "0.2" }, "guard.minConversion", /from 0 to 1/],
    "minConversion NaN": [{ minConversion: Number.NaN }, "guard.minConversion", /from 0 to 1/],
    "windowMs 0": [{ windowMs: 0 }, "guard.windowMs", /guard\.windowMs must be a whole number of milliseconds/],
    "suspendMs -1": [{ suspendMs: -1 }, "guard.suspendMs", /guard\.suspendMs must be a whole number of milliseconds/],
    "suspendMs Infinity": [{ suspendMs: Number.POSITIVE_INFINITY }, "guard.suspendMs", /milliseconds/],
    "prefixDigits 3": [
      { prefixDigits: 3 },
      "guard.prefixDigits",
      /guard\.prefixDigits must be a whole number from 4 to 12/,
    ],
    "prefixDigits 13": [{ prefixDigits: 13 }, "guard.prefixDigits", /from 4 to 12/],
  };
  for (const [what, [guard, field, message]] of Object.entries(refused)) {
    assert.throws(
      () => createOtpService({ apiKey: "k", verify, guard }),
      (e) => e.code === "INVALID_CONFIG" && e.field === field && message.test(e.message),
      what,
    );
  }
  for (const guard of [
    { minConversion: 0 },
    { minConversion: 1 },
    { prefixDigits: 4 },
    { prefixDigits: 12 },
    { minSends: 1 },
  ]) {
    assert.equal(typeof createOtpService({ apiKey: "k", verify, guard }), "object", JSON.stringify(guard));
  }
  const noStats = {
    reserve: async () => ({ ok: true }),
    release: async () => {},
    putCode: async () => {},
    checkCode: async () => ({ state: "none" }),
  };
  assert.throws(
    () => createOtpService({ apiKey: "k", verify, guard: {}, store: noStats }),
    (e) => e.code === "INVALID_CONFIG" && e.field === "store" && /guardStats/.test(e.message),
  );
});

test("stats() without guard rejects with INVALID_CONFIG, saying what to add", async () => {
  const service = createOtpService({ apiKey: "k", verify: { secret: "Qm7Tz2Vb9Lx4Kw1Rj8Hd5Ns3Gf6Yc0Pe" } });
  await assert.rejects(service.stats(), (e) => e.code === "INVALID_CONFIG" && /add guard: \{\}/.test(e.message));
  const guarded = createOtpService({ apiKey: "k", verify: { secret: "Qm7Tz2Vb9Lx4Kw1Rj8Hd5Ns3Gf6Yc0Pe" }, guard: {} });
  assert.deepEqual(await guarded.stats(), { windowMs: 3_600_000, ranges: 0, prefixes: [], countries: [] });
});
