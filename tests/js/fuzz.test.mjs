// fast-check feeds arbitrary values to every export: each returns, or throws/rejects an OtpError;
// never a wasm RuntimeError (a trap), never a raw TypeError from the glue; and the instance
// still works afterwards. FUZZ_RUNS values per property (make test: 2 000; make fuzz: 100 000).
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { estimateSegments, normalizeMobile, sendCustomOtp, sendOtp, validateOptions } from "turkeysms-otp";
import { startSandbox, throwingProxy } from "./helpers.mjs";

const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
let sandbox;
let blocked = 0;
const realFetch = globalThis.fetch;

before(async () => {
  sandbox = await startSandbox();
  // Generated options may be valid and aimed at TurkeySMS's default URL: nothing may leave the
  // machine, so any such request is answered here, at once, with a non-retryable refusal.
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.hostname === "127.0.0.1") return realFetch(input, init);
    blocked += 1;
    return Promise.resolve(
      new Response('{"result":false,"result_code":"TS-1031","result_message":"blocked by the fuzz test"}', {
        status: 401,
      }),
    );
  };
});

after(async () => {
  globalThis.fetch = realFetch;
  await sandbox.close();
  console.log(`fuzz: ${RUNS} runs per property; ${blocked} generated requests to other hosts answered locally`);
  const dir = new URL("../../../reliability/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    new URL("fuzz-js.json", dir),
    JSON.stringify({
      runsPerProperty: RUNS,
      properties: 2,
      hostileKinds: Object.keys(HOSTILE).length,
      blockedRequests: blocked,
    }),
  );
});

/**
 * Values that fight back. fast-check inspects the values it generates (and a revoked Proxy
 * throws at any look), so it generates their names and each run makes them fresh.
 */
const HOSTILE = {
  throwingProxy,
  revokedProxy: () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  throwingGetter: () =>
    Object.defineProperty({}, "mobile", {
      get() {
        throw new TypeError("getter");
      },
      enumerable: true,
    }),
  nullPrototype: () => Object.create(null),
  hostilePrototype: () =>
    Object.create(
      new Proxy(
        {},
        {
          get() {
            throw new Error("prototype trap");
          },
        },
      ),
    ),
  signalThatThrowsOnListen: () => ({
    aborted: false,
    addEventListener() {
      throw new Error("listen");
    },
    removeEventListener() {},
  }),
  signalWithThrowingGetter: () => ({
    get aborted() {
      throw new Error("aborted getter");
    },
    addEventListener() {},
    removeEventListener() {},
  }),
  symbol: () => Symbol("s"),
  bigint: () => 10n ** 30n,
  fn: () => () => "function",
  invalidDate: () => new Date(NaN),
  regexp: () => /regexp/,
  typedArray: () => new Uint8Array(8),
  map: () => new Map([["mobile", "05321234567"]]),
  frozen: () => Object.freeze({ mobile: "05321234567" }),
  loneHigh: () => "\uD800",
  loneMixed: () => "\uDFFF\uD800x",
  hugeDigits: () => "5".repeat(100_000),
  hugeTurkish: () => "ş".repeat(100_000),
  nan: () => NaN,
  infinity: () => -Infinity,
  negativeZero: () => -0,
  maxValue: () => Number.MAX_VALUE,
  minValue: () => Number.MIN_VALUE,
  unsafeInteger: () => Number.MAX_SAFE_INTEGER + 2,
  int32Edge: () => 2 ** 31,
};

class Hostile {
  constructor(name) {
    this.name = name;
  }
}

/** Replaces generated names by fresh hostile values, at the top and one level down. */
function materialize(v) {
  if (v instanceof Hostile) return HOSTILE[v.name]();
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x instanceof Hostile ? HOSTILE[x.name]() : x]));
  }
  return v;
}

const hostile = fc.constantFrom(...Object.keys(HOSTILE)).map((name) => new Hostile(name));

const value = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withObjectString: true,
      stringUnit: "binary",
    }),
  },
  { weight: 2, arbitrary: hostile },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[+0 ()\-.٠-٩]*[0-9 ]{0,16}$/) },
);

/** Option objects built from the known names, so validation goes deep, not just "not an object". */
const options = fc.oneof(
  value,
  fc.record(
    {
      apiKey: value,
      mobile: fc.oneof(value, fc.constantFrom("05321234567", "+90 532 123 45 67", "+4915123456789")),
      lang: value,
      digits: fc.oneof(value, fc.constantFrom(4, 5, 6)),
      title: value,
      text: fc.oneof(value, fc.constant("Code TS-CODE")),
      baseUrl: fc.oneof(value, fc.constantFrom("http://127.0.0.1:9", "https://api.turkeysms.com.tr")),
      timeoutMs: fc.oneof(value, fc.constant(50)),
      maxRetries: fc.oneof(value, fc.constant(0)),
      signal: fc.oneof(value, fc.constant(AbortSignal.abort())),
      dangerouslyAllowBrowser: value,
    },
    { requiredKeys: [] },
  ),
);

/** Returns normally, or fails with an OtpError; anything else (a trap, a raw TypeError) fails the property. */
function onlyOtpErrors(error) {
  if (
    error instanceof Error &&
    error.name === "OtpError" &&
    typeof error.code === "string" &&
    typeof error.attempts === "number"
  )
    return true;
  throw new Error(`not an OtpError: ${error?.constructor?.name}: ${error?.message ?? String(error)}`);
}

async function stillWorks() {
  const result = await sendOtp({
    apiKey: "fuzz-check",
    mobile: "905359999999",
    baseUrl: sandbox.url,
    digits: Math.random() < 0.5 ? 4 : 6,
  });
  assert.equal(result.code, "TS-1024");
  assert.equal(normalizeMobile("0532 123 45 67"), "905321234567");
}

test("sendOtp and sendCustomOtp: any options settle as a result or an OtpError", { timeout: 600_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(options, fc.boolean(), async (given, custom) => {
      try {
        await (custom ? sendCustomOtp : sendOtp)(materialize(given));
      } catch (error) {
        onlyOtpErrors(error);
      }
    }),
    { numRuns: RUNS },
  );
  await stillWorks();
});

test("normalizeMobile, validateOptions, estimateSegments: any input returns or throws an OtpError", {
  timeout: 600_000,
}, async () => {
  fc.assert(
    fc.property(value, options, value, value, (rawInput, rawGiven, rawKind, rawDigits) => {
      const [input, given, kind, digits] = [rawInput, rawGiven, rawKind, rawDigits].map(materialize);
      for (const call of [
        () => normalizeMobile(input),
        () => validateOptions(given, kind),
        () => validateOptions(given, "custom"),
        () => estimateSegments(input, digits),
        () => estimateSegments(typeof input === "string" ? input : "x"),
      ]) {
        try {
          const out = call();
          if (out && typeof out === "object" && "issues" in out) assert.equal(out.ok, out.issues.length === 0);
        } catch (error) {
          onlyOtpErrors(error);
        }
      }
    }),
    { numRuns: RUNS },
  );
  await stillWorks();
});
