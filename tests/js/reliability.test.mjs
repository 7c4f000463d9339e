// No call hangs or traps, whatever fetch or the server does; and no form of the key leaks.
// Each test here failed before the transport raced every await against its deadline, before
// fetch was called through catching bindings, and before redaction covered every form.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { inspect } from "node:util";
import * as otp from "turkeysms-otp";
import { createOtpHandler, isOtpError, OtpError, sendOtp } from "turkeysms-otp";
import { queueFaults, rejectsWith, startSandbox, uniqueKey, uniqueMobile } from "./helpers.mjs";

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

/** Options for a fresh number and key against the sandbox. */
const fresh = (extra = {}) => ({
  apiKey: uniqueKey("rel"),
  mobile: uniqueMobile(),
  baseUrl: sandbox.url,
  maxRetries: 0,
  ...extra,
});

/** Runs `work`, forcing a garbage collection at each of `at` (ms); returns [outcome, elapsed ms]. */
async function withCollections(at, work) {
  assert.equal(typeof globalThis.gc, "function", "these tests need node --expose-gc");
  const timers = at.map((ms) => setTimeout(() => globalThis.gc(), ms));
  const started = performance.now();
  try {
    const outcome = await work().then(
      (value) => ({ value }),
      (error) => ({ error }),
    );
    return [outcome, performance.now() - started];
  } finally {
    timers.forEach(clearTimeout);
  }
}

describe("the timeout covers the whole body, whatever the collector does", () => {
  for (const [timeoutMs, collections] of [
    [3000, [1000]],
    [10000, [1000, 4000, 7000]],
  ]) {
    test(`a dripping body ends at timeoutMs ${timeoutMs} despite GCs at ${collections.join(", ")} ms`, {
      timeout: 30_000,
    }, async () => {
      const options = fresh({ apiKey: "sandbox-slow-drip", timeoutMs });
      const [{ error }, elapsed] = await withCollections(collections, () => sendOtp(options));
      assert.ok(error instanceof OtpError, `expected a TIMEOUT, got ${error}`);
      assert.equal(error.code, "TIMEOUT", error.message);
      assert.ok(
        elapsed >= timeoutMs - 50 && elapsed < timeoutMs + 1500,
        `took ${Math.round(elapsed)} ms for timeoutMs ${timeoutMs}`,
      );
    });
  }

  test("through createOtpHandler, the page gets its answer at timeoutMs too", { timeout: 30_000 }, async () => {
    const events = [];
    const handle = createOtpHandler({
      apiKey: "sandbox-slow-drip",
      baseUrl: sandbox.url,
      timeoutMs: 3000,
      maxRetries: 0,
      onEvent: (e) => events.push(e),
    });
    const request = new Request("http://127.0.0.1/otp/send", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ mobile: "0532 123 45 67" }),
    });
    const [{ value: response }, elapsed] = await withCollections([1000], () => handle(request));
    assert.equal((await response.json()).result_code, "UNAVAILABLE", "the page learns only that sending failed");
    assert.equal(events.at(-1).upstream, "TIMEOUT", "the operator sees the timeout");
    assert.ok(elapsed < 4500, `the handler held the request ${Math.round(elapsed)} ms`);
  });
});

describe("whatever fetch throws or rejects with is an OtpError, and the instance lives on", () => {
  const odd = [
    ["a string", "boom"],
    ["undefined", undefined],
    ["null", null],
    ["a plain object", { reason: 1 }],
    ["a Symbol", Symbol("s")],
    ["a number", 42],
    ["a function", () => {}],
  ];
  const realFetch = globalThis.fetch;

  for (const [label, value] of odd) {
    test(`a global fetch that rejects with ${label}, then a normal send`, async () => {
      globalThis.fetch = () => Promise.reject(value);
      try {
        await rejectsWith(sendOtp(fresh()), "NETWORK", { attempts: 1 });
      } finally {
        globalThis.fetch = realFetch;
      }
      assert.equal((await sendOtp(fresh())).code, "TS-1024");
    });

    test(`a fetch option that throws ${label} synchronously, then a normal send`, async () => {
      await rejectsWith(
        sendOtp(
          fresh({
            fetch: () => {
              throw value;
            },
          }),
        ),
        "NETWORK",
      );
      assert.equal((await sendOtp(fresh())).code, "TS-1024");
    });
  }

  test("a Response whose body getter throws, a reader that throws, a chunk that is not bytes", async () => {
    const answers = [
      {
        status: 200,
        get body() {
          throw "no body";
        },
      },
      {
        status: 200,
        body: {
          getReader: () => {
            throw "no reader";
          },
        },
      },
      {
        status: 200,
        body: {
          getReader: () => ({
            read: () => {
              throw "no read";
            },
            cancel() {},
          }),
        },
      },
      { status: 200, body: { getReader: () => ({ read: async () => ({ done: false, value: "text" }), cancel() {} }) } },
      {
        status: 200,
        body: {
          getReader: () => ({
            read: async () => {
              throw Symbol("torn");
            },
            cancel() {},
          }),
        },
      },
    ];
    for (const answer of answers) {
      const error = await sendOtp(fresh({ fetch: async () => answer })).catch((e) => e);
      assert.ok(isOtpError(error), String(error));
      assert.ok(["NETWORK", "BAD_RESPONSE"].includes(error.code), error.code);
    }
    assert.equal((await sendOtp(fresh())).code, "TS-1024");
  });

  test("the fetch option is called as fetch(url, init) instead of the global fetch", async () => {
    const seen = [];
    const options = fresh({
      fetch: (url, init) => {
        seen.push({ url, init });
        return realFetch(url, init);
      },
    });
    assert.equal((await sendOtp(options)).code, "TS-1024");
    assert.equal(seen.length, 1);
    assert.equal(seen[0].url, `${sandbox.url}/otp/send`);
    assert.equal(seen[0].init.method, "POST");
    assert.equal(JSON.parse(seen[0].init.body).mobile, options.mobile.replace(/\D/g, ""));
    assert.ok(seen[0].init.signal instanceof AbortSignal);
    assert.throws(() => (seen[0].init.headers.Accept = "text/html"), TypeError, "the shared headers are frozen");
  });

  test("a fetch option that is not a function is refused before any request", async () => {
    for (const fetch of ["fetch", 1, {}])
      await rejectsWith(sendOtp(fresh({ fetch })), "INVALID_OPTIONS", { field: "fetch", attempts: 0 });
  });
});

describe("failures hold no JavaScript values for good", () => {
  const liveHandles = () => {
    globalThis.gc();
    return otp.__internals.diagnostics().liveHandles;
  };
  const scenarios = {
    "a fetch that throws synchronously": () =>
      sendOtp(
        fresh({
          fetch: () => {
            throw "x";
          },
        }),
      ),
    "an HTML error page": () => sendOtp(fresh({ apiKey: "sandbox-html-500" })),
    "a body that is not JSON": () => sendOtp(fresh({ apiKey: "sandbox-not-json" })),
    "a fetch that rejects": () => sendOtp(fresh({ fetch: () => Promise.reject("x") })),
    "a fetch that resolves with undefined": () => sendOtp(fresh({ fetch: async () => undefined })),
  };
  for (const [label, call] of Object.entries(scenarios)) {
    test(`${label}, 200 times: the wasm's live handles stay where they were`, async () => {
      for (let i = 0; i < 5; i++) await call().catch(() => {});
      const before = liveHandles();
      for (let i = 0; i < 200; i++) await call().catch(() => {});
      assert.equal(liveHandles(), before);
    });
  }
});

describe("if the wasm ever traps, the instance is replaced and the calls in flight reject", () => {
  const heard = [];
  const listen = (e) => heard.push(e);
  before(() => {
    process.on("uncaughtException", listen);
    process.on("unhandledRejection", listen);
  });
  after(() => {
    process.off("uncaughtException", listen);
    process.off("unhandledRejection", listen);
  });

  test("a trap inside a synchronous call: a typed error, and the next call works", async () => {
    assert.throws(
      () => otp.__internals.trap(),
      (e) => isOtpError(e) && e.code === "INTERNAL_ERROR" && /restarted/.test(e.message),
    );
    assert.equal(otp.normalizeMobile("0532 123 45 67"), "905321234567");
    assert.equal((await sendOtp(fresh())).code, "TS-1024");
  });

  test("a trap inside the wasm's own task: every call in flight rejects, nothing escapes, later calls work", async () => {
    const key = uniqueKey("hang");
    await queueFaults(sandbox, key, ["hang"]);
    const inFlight = sendOtp(fresh({ apiKey: key, timeoutMs: 5000 })).catch((e) => e);
    const trapping = otp.__internals.trapLater().catch((e) => e);
    for (const error of [await trapping, await inFlight]) {
      assert.ok(isOtpError(error), String(error));
      assert.equal(error.code, "INTERNAL_ERROR");
    }
    assert.equal((await sendOtp(fresh())).code, "TS-1024");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(heard, [], "no uncaught exception or unhandled rejection");
  });
});

describe("no form of the key reaches an error", () => {
  for (const apiKey of ["1", "1024", "TS-1024", "true", "result", "abcd-10000000-efgh"]) {
    test(`a key whose text appears in a valid answer (${JSON.stringify(apiKey)}) leaves the answer as it is`, async () => {
      const result = await sendOtp(fresh({ apiKey }));
      assert.equal(result.code, "TS-1024");
      assert.equal(result.raw.result, true);
    });
  }

  /** Every form a server might echo, and every 8-character run of the key. */
  const forms = (key) => {
    const all = [key, encodeURIComponent(key), key.toUpperCase(), key.toLowerCase()];
    for (let i = 0; i + 8 <= key.length; i++) all.push(key.slice(i, i + 8));
    return all;
  };

  for (const key of ["echo-Key/With+Special Chars=0123456789abcdef", "ECHO-lowerUPPER-1234567890"]) {
    test(`a server that echoes ${JSON.stringify(key)} in every form`, async () => {
      await queueFaults(sandbox, key, ["echo-key"]);
      const error = await rejectsWith(sendOtp(fresh({ apiKey: key })), "TS-1031", { status: 401 });
      const texts = [
        error.message,
        String(error),
        error.stack,
        JSON.stringify(error),
        inspect(error, { depth: 5 }),
        JSON.stringify(error.toJSON()),
        String(error.cause ?? ""),
      ];
      for (const text of texts) {
        for (const form of forms(key))
          assert.ok(!text.toLowerCase().includes(form.toLowerCase()), `${JSON.stringify(form)} leaked into: ${text}`);
      }
      assert.match(error.message, /\[redacted\]/);
      assert.equal(JSON.parse(JSON.stringify(error)).message, error.message, "toJSON keeps the message");
    });
  }
});
