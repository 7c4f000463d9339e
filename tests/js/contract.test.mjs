// The public contract (docs/API.md), tested against the packed package and the sandbox.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { estimateSegments, normalizeMobile, sendCustomOtp, sendOtp, validateOptions } from "turkeysms-otp";
import {
  assertNoSecret,
  inboxOf,
  queueFaults,
  rejectsWith,
  requestsFor,
  startSandbox,
  uniqueKey,
  uniqueMobile,
} from "./helpers.mjs";

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

/** Options to the sandbox for a fresh number; returns [options, wireMobile]. */
function fresh(extra = {}) {
  const wire = uniqueMobile();
  return [{ apiKey: uniqueKey("key"), mobile: `+${wire}`, baseUrl: sandbox.url, ...extra }, wire];
}

const custom = { title: "MyApp", text: "MyApp code: TS-CODE" };

describe("functions", () => {
  test("sendOtp posts JSON to {baseUrl}/otp/send", async () => {
    const [options, wire] = fresh();
    await sendOtp(options);
    const [request] = await requestsFor(sandbox, wire);
    assert.equal(request.path, "/otp/send");
    assert.equal(request.contentType, "application/json");
    assert.equal(request.accept, "application/json");
  });

  test("sendCustomOtp posts JSON to {baseUrl}/otp/detailed", async () => {
    const [options, wire] = fresh(custom);
    await sendCustomOtp(options);
    const [request] = await requestsFor(sandbox, wire);
    assert.equal(request.path, "/otp/detailed");
    assert.equal(request.contentType, "application/json");
  });

  test("a baseUrl with a path prefix and trailing slash joins cleanly", async () => {
    // The sandbox serves no prefix, so it answers 404; its record shows the joined path.
    const [options, wire] = fresh({ baseUrl: `${sandbox.url}/prefix/`, maxRetries: 0 });
    await rejectsWith(sendOtp(options), "TS-1404", { status: 404, retryable: false });
    assert.deepEqual(
      (await requestsFor(sandbox, wire)).map((r) => r.path),
      ["/prefix/otp/send"],
    );
  });
});

describe("options", () => {
  test("apiKey is sent as api_key in the body, never in the URL", async () => {
    const key = uniqueKey("body");
    const [options, wire] = fresh({ apiKey: key });
    await sendOtp(options);
    const [request] = await requestsFor(sandbox, wire);
    assert.equal(request.url, "/otp/send", "no query string: nothing in the URL but the path");
    assert.equal(request.body.api_key, "[redacted]", "the sandbox redacts it in its own listing");
    assert.equal(request.keySha256, (await import("./helpers.mjs")).sha256(key));
    assert.deepEqual(Object.keys(request.body), ["api_key", "mobile"]);
  });

  test("apiKey is required for the TurkeySMS API (the default baseUrl)", async () => {
    await rejectsWith(sendOtp({ mobile: "05321234567" }), "MISSING_API_KEY", { field: "apiKey", attempts: 0 });
    await rejectsWith(
      sendOtp({ apiKey: "  ", mobile: "05321234567", baseUrl: "https://api.turkeysms.com.tr/" }),
      "MISSING_API_KEY",
    );
  });

  test("apiKey may be omitted for your own proxy, and is then left out of the body", async () => {
    const [options, wire] = fresh();
    delete options.apiKey;
    await rejectsWith(sendOtp(options), "TS-1031", { status: 401 }); // the sandbox, like TurkeySMS, wants a key
    const [request] = await requestsFor(sandbox, wire);
    assert.deepEqual(request.body, { mobile: wire });
  });

  test("mobile accepts the forms people type and is sent normalised", async () => {
    const forms = [
      "+90 532 123 45 67",
      "0532 123 4567",
      "5321234567",
      "905321234567",
      "0090 532 123 45 67",
      "(0532) 123-45-67",
    ];
    for (const form of forms) assert.equal(normalizeMobile(form), "905321234567", form);
    assert.equal(normalizeMobile("+49 151 2345 6789"), "4915123456789");
    assert.equal(normalizeMobile("0049 151 2345 6789"), "4915123456789");
    const [options, wire] = fresh();
    options.mobile = `+${wire.slice(0, 2)} ${wire.slice(2, 5)} ${wire.slice(5, 8)} ${wire.slice(8)}`;
    const result = await sendOtp(options);
    assert.equal(result.mobile, wire);
    assert.equal((await requestsFor(sandbox, wire))[0].body.mobile, wire);
  });

  test("a Turkish number must be a mobile; others 8–15 digits", async () => {
    for (const bad of ["0212 123 45 67", "+90 532 123 45", "1234567", "+1234567890123456", "not a number", ""]) {
      await rejectsWith(sendOtp({ apiKey: "k", mobile: bad, baseUrl: sandbox.url }), "INVALID_MOBILE", {
        field: "mobile",
        attempts: 0,
      });
    }
    await rejectsWith(sendOtp({ apiKey: "k", baseUrl: sandbox.url }), "INVALID_MOBILE", { field: "mobile" });
  });

  test("lang is sent as an integer, from a number or a name, and omitted when not given", async () => {
    for (const [lang, wireLang] of [
      [0, 0],
      [1, 1],
      [2, 2],
      ["en", 0],
      ["tr", 1],
      ["ar", 2],
      [undefined, undefined],
    ]) {
      const [options, wire] = fresh({ lang });
      await sendOtp(options);
      const [request] = await requestsFor(sandbox, wire);
      assert.equal(request.body.lang, wireLang, `lang ${lang}`);
      assert.equal("lang" in request.body, lang !== undefined);
    }
    for (const lang of [3, -1, 1.5, "de", "1"]) {
      await rejectsWith(sendOtp({ apiKey: "k", mobile: "05321234567", baseUrl: sandbox.url, lang }), "INVALID_LANG", {
        field: "lang",
      });
    }
    await rejectsWith(
      sendOtp({ apiKey: "k", mobile: "05321234567", baseUrl: sandbox.url, lang: true }),
      "INVALID_OPTIONS",
      { field: "lang" },
    );
  });

  test("digits is sent as an integer when given, omitted otherwise, and the code has that length", async () => {
    for (const digits of [4, 5, 6, undefined]) {
      const [options, wire] = fresh({ digits });
      await sendOtp(options);
      const [request] = await requestsFor(sandbox, wire);
      assert.equal(request.body.digits, digits);
      const [sms] = await inboxOf(sandbox, wire);
      assert.equal(sms.code.length, digits ?? 6);
    }
    for (const digits of [3, 7, 4.5, NaN]) {
      await rejectsWith(
        sendOtp({ apiKey: "k", mobile: "05321234567", baseUrl: sandbox.url, digits }),
        "INVALID_DIGITS",
        { field: "digits" },
      );
    }
    await rejectsWith(
      sendOtp({ apiKey: "k", mobile: "05321234567", baseUrl: sandbox.url, digits: "6" }),
      "INVALID_OPTIONS",
      { field: "digits" },
    );
  });

  test("title: sendCustomOtp only, required, 1–11 ASCII letters/digits, spaces . -", async () => {
    const [options, wire] = fresh({ ...custom, title: "My-App.co 1" });
    await sendCustomOtp(options);
    assert.equal((await requestsFor(sandbox, wire))[0].body.title, "My-App.co 1");
    for (const title of [undefined, "", "ABCDEFGHIJKL", "Şirket", "My_App"]) {
      await rejectsWith(sendCustomOtp({ ...fresh(custom)[0], title }), "INVALID_TITLE", {
        field: "title",
        attempts: 0,
      });
    }
    const [standard, standardWire] = fresh({ title: "ignored", text: "ignored" });
    await sendOtp(standard);
    assert.deepEqual(Object.keys((await requestsFor(sandbox, standardWire))[0].body), ["api_key", "mobile"]);
  });

  test("text: sendCustomOtp only, required, must contain TS-CODE", async () => {
    await rejectsWith(sendCustomOtp({ ...fresh(custom)[0], text: undefined }), "INVALID_TEXT", { field: "text" });
    await rejectsWith(sendCustomOtp({ ...fresh(custom)[0], text: "  " }), "INVALID_TEXT", { field: "text" });
    await rejectsWith(sendCustomOtp({ ...fresh(custom)[0], text: "Your code" }), "MISSING_PLACEHOLDER", {
      field: "text",
    });
    const v3 = await rejectsWith(sendCustomOtp({ ...fresh(custom)[0], text: "Code: TS_CODE" }), "MISSING_PLACEHOLDER");
    assert.match(v3.message, /V3/);
    const [options, wire] = fresh({ ...custom, text: "Kodunuz: TS-CODE — şimdi" });
    await sendCustomOtp(options);
    const [sms] = await inboxOf(sandbox, wire);
    assert.equal(sms.text, `Kodunuz: ${sms.code} — şimdi`);
  });

  test("baseUrl defaults to TurkeySMS; http: only for loopback", async () => {
    const report = validateOptions({ mobile: "05321234567" }, "standard");
    assert.deepEqual(
      report.issues.map((i) => i.code),
      ["MISSING_API_KEY"],
      "no key needed only for your own proxy: the default is TurkeySMS",
    );
    for (const baseUrl of [
      "http://example.com",
      "ftp://x",
      "api.turkeysms.com.tr",
      "https://u:p@example.com",
      "https://x?y=1",
      42,
    ]) {
      const code = typeof baseUrl === "string" ? "INVALID_BASE_URL" : "INVALID_OPTIONS";
      await rejectsWith(sendOtp({ apiKey: "k", mobile: "05321234567", baseUrl }), code, {
        field: "baseUrl",
        attempts: 0,
      });
    }
    assert.equal(
      validateOptions({ apiKey: "k", mobile: "05321234567", baseUrl: "http://localhost:1" }, "standard").ok,
      true,
    );
  });

  test("timeoutMs bounds each attempt (default 10000)", async () => {
    const [options] = fresh({ apiKey: "sandbox-hang", timeoutMs: 200, maxRetries: 0 });
    const started = performance.now();
    await rejectsWith(sendOtp(options), "TIMEOUT", { retryable: true, attempts: 1 });
    const took = performance.now() - started;
    assert.ok(took >= 190 && took < 2000, `took ${took} ms`);
    await rejectsWith(sendOtp({ ...options, timeoutMs: 0 }), "INVALID_OPTIONS", { field: "timeoutMs" });
  });

  test("maxRetries (default 2) retries transient failures only; 0 disables", async () => {
    const [options, wire] = fresh();
    await queueFaults(sandbox, options.apiKey, ["html-500", "html-502", "html-503"]);
    await rejectsWith(sendOtp(options), "HTTP_ERROR", { status: 503, retryable: true, attempts: 3 });
    assert.equal((await requestsFor(sandbox, wire)).length, 3, "default: 1 attempt + 2 retries");

    const [none, noneWire] = fresh({ maxRetries: 0 });
    await queueFaults(sandbox, none.apiKey, ["html-500"]);
    await rejectsWith(sendOtp(none), "HTTP_ERROR", { status: 500, attempts: 1 });
    assert.equal((await requestsFor(sandbox, noneWire)).length, 1);

    for (const maxRetries of [-1, 1.5, 11, "2"]) {
      await rejectsWith(sendOtp({ ...fresh()[0], maxRetries }), "INVALID_OPTIONS", { field: "maxRetries" });
    }
  });

  test("signal aborts the whole call, retries and waits included", async () => {
    const [options, wire] = fresh({ signal: AbortSignal.abort() });
    await rejectsWith(sendOtp(options), "ABORTED", { attempts: 0, retryable: false });
    assert.equal((await requestsFor(sandbox, wire)).length, 0);

    const [hanging] = fresh({ apiKey: "sandbox-hang", signal: AbortSignal.timeout(150) });
    await rejectsWith(sendOtp(hanging), "ABORTED", { attempts: 1 });

    // Aborted during the backoff wait after a 500: no second request is made.
    const [waiting, waitingWire] = fresh({ signal: AbortSignal.timeout(60) });
    await queueFaults(sandbox, waiting.apiKey, ["html-500", "html-500"]);
    const started = performance.now();
    await rejectsWith(sendOtp(waiting), "ABORTED", { attempts: 1 });
    assert.ok(performance.now() - started < 1000);
    assert.equal((await requestsFor(sandbox, waitingWire)).length, 1);

    await rejectsWith(sendOtp({ ...fresh()[0], signal: "stop" }), "INVALID_OPTIONS", { field: "signal" });
  });

  test("invalid options reject before any network request", async () => {
    const before = sandbox.state.requests.length;
    await rejectsWith(sendOtp({ apiKey: "k", mobile: "123", baseUrl: sandbox.url }), "INVALID_MOBILE");
    await rejectsWith(
      sendCustomOtp({ apiKey: "k", mobile: "05321234567", baseUrl: sandbox.url, title: "T", text: "no code" }),
      "MISSING_PLACEHOLDER",
    );
    assert.equal(sandbox.state.requests.length, before);
  });

  test("unknown option names are ignored", async () => {
    const [options, wire] = fresh({ colour: "blue", api_key: "other", retries: "x" });
    await sendOtp(options);
    assert.deepEqual(Object.keys((await requestsFor(sandbox, wire))[0].body), ["api_key", "mobile"]);
  });
});

describe("success", () => {
  test("resolves with code, message, mobile, smsId, segments and raw", async () => {
    const [options, wire] = fresh({ ...custom, text: `${"ş".repeat(70)} TS-CODE` });
    const result = await sendCustomOtp(options);
    assert.equal(result.code, "TS-1024");
    assert.equal(result.message, "OTP dispatched successfully.");
    assert.equal(result.mobile, wire);
    assert.equal(typeof result.smsId, "number");
    assert.equal(result.segments, 2);
    assert.equal(result.raw.result, true);
    assert.equal(result.raw.country, "Turkey-TR", "unknown fields stay in raw");
  });

  test('message is "" and smsId/segments are absent when the body lacks them', async () => {
    const [options] = fresh();
    await queueFaults(sandbox, options.apiKey, ["bare-success"]);
    const result = await sendOtp(options);
    assert.deepEqual(result, {
      code: "TS-1024",
      message: "",
      mobile: options.mobile.slice(1),
      raw: { result: true, result_code: "TS-1024" },
    });
  });

  test("otp_code is surfaced as otpCode (a string, its leading zeros back), and a string sms_id as smsId", async () => {
    const [options] = fresh();
    await queueFaults(sandbox, options.apiKey, ["otp-code", "otp-code"]);
    // The fault answers otp_code as the JSON number 4821: a 6-digit code (TurkeySMS's default)
    // that lost its zeros, or, when 4 digits were asked for, the code itself.
    const result = await sendOtp(options);
    assert.equal(result.otpCode, "004821");
    assert.equal((await sendOtp({ ...options, digits: 4 })).otpCode, "4821");
    assert.equal(result.smsId, "A-77");
    assert.equal(result.segments, undefined);
  });
});

describe("failure", () => {
  test("an OtpError carries name, code, message, retryable, status, attempts", async () => {
    const [options] = fresh({ apiKey: "sandbox-no-balance" });
    await rejectsWith(sendOtp(options), "TS-1027", { status: 403, retryable: false, attempts: 1 });
  });

  test("every documented TS code comes through as itself", async () => {
    for (const [apiKey, code, status] of [
      ["sandbox-invalid-key", "TS-1031", 401],
      ["sandbox-no-balance", "TS-1027", 403],
      ["sandbox-no-permission", "TS-1065", 403],
      ["sandbox-no-post", "TS-1061", 403],
    ]) {
      const error = await rejectsWith(sendOtp(fresh({ apiKey })[0]), code, { status, retryable: false, attempts: 1 });
      assertNoSecret(error, apiKey);
    }
    await rejectsWith(sendCustomOtp(fresh({ ...custom, title: "INACTIVE" })[0]), "TS-1028", {
      status: 403,
      retryable: false,
    });
  });

  test("an unknown TS code is not collapsed into a generic error", async () => {
    const [options] = fresh();
    await queueFaults(sandbox, options.apiKey, ["unknown-code"]);
    const error = await rejectsWith(sendOtp(options), "TS-1999", { status: 400, retryable: false, attempts: 1 });
    assert.match(error.message, /Something new went wrong/);
  });

  test("the message never contains the API key", async () => {
    const secret = uniqueKey("secret-SENTINEL");
    const [options] = fresh({ apiKey: secret });
    for (const faults of [
      ["html-500", "html-500", "html-500"],
      ["not-json"],
      ["reset", "reset", "reset"],
      ["unknown-code"],
    ]) {
      await queueFaults(sandbox, secret, faults);
      try {
        await sendOtp({ ...options, mobile: `+${uniqueMobile()}` });
        assert.fail("should have failed");
      } catch (error) {
        assertNoSecret(error, secret);
      }
    }
    const invalid = await rejectsWith(sendOtp({ ...options, mobile: "x" }), "INVALID_MOBILE");
    assertNoSecret(invalid, secret);
    await rejectsWith(sendOtp({ ...options, apiKey: `${secret}\n` }), "INVALID_OPTIONS").then((e) =>
      assertNoSecret(e, secret),
    );
  });

  test("local codes: INVALID_OPTIONS for a non-object or wrong types", async () => {
    for (const bad of [undefined, null, 42, "options", [], () => {}]) {
      await rejectsWith(sendOtp(bad), "INVALID_OPTIONS", { field: "options", attempts: 0 });
    }
    await rejectsWith(sendOtp({ apiKey: "k", mobile: 5321234567 }), "INVALID_OPTIONS", { field: "mobile" });
    await rejectsWith(sendOtp({ apiKey: 1, mobile: "05321234567" }), "INVALID_OPTIONS", { field: "apiKey" });
    await rejectsWith(
      sendOtp({ apiKey: "k", mobile: "05321234567", dangerouslyAllowBrowser: "yes" }),
      "INVALID_OPTIONS",
      { field: "dangerouslyAllowBrowser" },
    );
  });

  test("local codes: NETWORK when nothing listens", async () => {
    const closed = await startSandbox();
    const url = closed.url;
    await closed.close();
    await rejectsWith(sendOtp({ apiKey: "k", mobile: "05321234567", baseUrl: url, maxRetries: 1 }), "NETWORK", {
      retryable: true,
      attempts: 2,
    });
  });

  test("local codes: HTTP_ERROR for a non-2xx without a TS code", async () => {
    await rejectsWith(sendOtp(fresh({ apiKey: "sandbox-server-error", maxRetries: 0 })[0]), "HTTP_ERROR", {
      status: 500,
      retryable: true,
      attempts: 1,
    });
  });

  test("local codes: BAD_RESPONSE for a body that is not JSON or not the envelope", async () => {
    await rejectsWith(sendOtp(fresh({ apiKey: "sandbox-not-json" })[0]), "BAD_RESPONSE", {
      status: 200,
      retryable: false,
      attempts: 1,
    });
    await rejectsWith(sendOtp(fresh({ apiKey: "sandbox-not-envelope" })[0]), "BAD_RESPONSE", {
      status: 200,
      attempts: 1,
    });
  });
});

describe("retries", () => {
  test("network errors and timeouts are retried, then succeed", async () => {
    const [options, wire] = fresh({ timeoutMs: 300 });
    await queueFaults(sandbox, options.apiKey, ["reset", "hang"]);
    const result = await sendOtp(options);
    assert.equal(result.code, "TS-1024");
    assert.equal((await requestsFor(sandbox, wire)).length, 3);
    assert.equal((await inboxOf(sandbox, wire)).length, 1, "one SMS delivered");
  });

  test("HTTP 5xx is retried with backoff, then succeeds", async () => {
    const [options, wire] = fresh();
    await queueFaults(sandbox, options.apiKey, ["html-502"]);
    const started = performance.now();
    await sendOtp(options);
    assert.ok(performance.now() - started >= 120, "waited at least the first backoff");
    assert.equal((await requestsFor(sandbox, wire)).length, 2);
  });

  test("TS-1060 is retried after a longer wait", async () => {
    const [options, wire] = fresh({ maxRetries: 1 });
    await queueFaults(sandbox, options.apiKey, ["rate-limited"]);
    const started = performance.now();
    await sendOtp(options);
    const waited = performance.now() - started;
    assert.ok(waited >= 1000, `waited ${waited} ms before retrying TS-1060`);
    assert.equal((await requestsFor(sandbox, wire)).length, 2);
    const [limited] = fresh({ apiKey: "sandbox-rate-limited", maxRetries: 0 });
    await rejectsWith(sendOtp(limited), "TS-1060", { status: 403, retryable: true, attempts: 1 });
  });

  test("never retried: other TS codes, 4xx, validation errors, an aborted call", async () => {
    for (const apiKey of ["sandbox-invalid-key", "sandbox-no-balance", "sandbox-no-permission"]) {
      const [options, wire] = fresh({ apiKey });
      await assert.rejects(sendOtp(options));
      assert.equal((await requestsFor(sandbox, wire)).length, 1, apiKey);
    }
    const [notFound] = fresh({ baseUrl: `${sandbox.url}/missing` });
    await rejectsWith(sendOtp(notFound), "TS-1404", { attempts: 1, retryable: false });
  });

  test("each attempt gets its own timeout", async () => {
    const [options, wire] = fresh({ apiKey: "sandbox-hang", timeoutMs: 150, maxRetries: 2 });
    const started = performance.now();
    await rejectsWith(sendOtp(options), "TIMEOUT", { attempts: 3 });
    const took = performance.now() - started;
    assert.ok(took >= 450, `3 attempts of 150 ms took only ${took} ms`);
    assert.equal((await requestsFor(sandbox, wire)).length, 3);
  });
});

describe("shared validation, for forms", () => {
  test("normalizeMobile returns the wire form or throws INVALID_MOBILE", async () => {
    assert.equal(normalizeMobile("0532 123 45 67"), "905321234567");
    await rejectsWith(() => normalizeMobile("0212 123 45 67"), "INVALID_MOBILE", { field: "mobile", attempts: 0 });
    await rejectsWith(() => normalizeMobile(5321234567), "INVALID_MOBILE");
  });

  test("validateOptions lists every issue with field, code and message", () => {
    assert.deepEqual(validateOptions({ apiKey: "k", mobile: "0532 123 45 67" }, "standard"), { ok: true, issues: [] });
    const report = validateOptions({ mobile: "12", lang: 9, digits: 3, title: "", text: "no code" }, "custom");
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.issues.map((i) => [i.field, i.code]),
      [
        ["apiKey", "MISSING_API_KEY"],
        ["mobile", "INVALID_MOBILE"],
        ["lang", "INVALID_LANG"],
        ["digits", "INVALID_DIGITS"],
        ["title", "INVALID_TITLE"],
        ["text", "MISSING_PLACEHOLDER"],
      ],
    );
    for (const issue of report.issues) assert.ok(issue.message.length > 10);
    assert.deepEqual(
      validateOptions(null, "standard").issues.map((i) => i.code),
      ["INVALID_OPTIONS"],
    );
    assert.throws(
      () => validateOptions({}, "other"),
      (e) => e.name === "OtpError" && e.code === "INVALID_OPTIONS",
    );
  });

  test("estimateSegments counts as the phone receives it", () => {
    assert.deepEqual(estimateSegments("a".repeat(160)), { encoding: "GSM-7", characters: 160, segments: 1 });
    assert.deepEqual(estimateSegments("a".repeat(161)), { encoding: "GSM-7", characters: 161, segments: 2 });
    assert.deepEqual(estimateSegments("ş".repeat(70)), { encoding: "UCS-2", characters: 70, segments: 1 });
    assert.deepEqual(estimateSegments("ş".repeat(71)), { encoding: "UCS-2", characters: 71, segments: 2 });
    assert.deepEqual(estimateSegments("Code: TS-CODE"), { encoding: "GSM-7", characters: 12, segments: 1 });
    assert.deepEqual(estimateSegments("Code: TS-CODE", 4), { encoding: "GSM-7", characters: 10, segments: 1 });
    assert.deepEqual(estimateSegments("€"), { encoding: "GSM-7", characters: 2, segments: 1 });
    assert.throws(
      () => estimateSegments("x", 7),
      (e) => e.code === "INVALID_DIGITS",
    );
  });
});

describe("browsers", () => {
  test("with a global document, a key sent to TurkeySMS rejects with BROWSER_KEY_EXPOSED", async () => {
    globalThis.document = {};
    try {
      const before = sandbox.state.requests.length;
      await rejectsWith(sendOtp({ apiKey: "k", mobile: "05321234567" }), "BROWSER_KEY_EXPOSED", {
        field: "apiKey",
        attempts: 0,
      });
      assert.equal(sandbox.state.requests.length, before);
      assert.equal(
        validateOptions({ apiKey: "k", mobile: "05321234567", dangerouslyAllowBrowser: true }, "standard").ok,
        true,
      );
      // The safe setup: no key in the page, your own server as baseUrl.
      const [options] = fresh();
      assert.equal((await sendOtp(options)).code, "TS-1024");
    } finally {
      delete globalThis.document;
    }
  });
});
