// createOtpHandler in Node (called directly) and in workerd (wrangler dev): the abuse controls,
// CORS, templates, Turnstile, and that the key never reaches a response. Then the SDK through
// the handler with no key, and the global cap and per-IP limit in Node.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createOtpHandler, sendOtp } from "turkeysms-otp";
import { serveStatic } from "../../scripts/static-server.mjs";
import { startSandbox } from "../js/helpers.mjs";
import { cooldownConfig, guardedConfig, handlerConfig, runHandlerScenarios } from "./fixtures/handler-scenarios.js";
import { consumerDir, wranglerDev } from "./processes.mjs";

let sandbox, siteverify, siteverifyUrl;
before(async () => {
  sandbox = await startSandbox();
  siteverify = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      res.setHeader("Content-Type", "application/json");
      if (form.get("response") === "slow-token") return; // never answers
      res.end(
        JSON.stringify({
          success: form.get("secret") === "turnstile-secret" && form.get("response") === "good-token",
          hostname: "shop.example",
          action: "login",
        }),
      );
    });
  });
  await new Promise((r) => siteverify.listen(0, "127.0.0.1", r));
  siteverifyUrl = `http://127.0.0.1:${siteverify.address().port}/siteverify`;
});
after(async () => {
  await sandbox.close();
  siteverify.close();
});

const EXPECTED = [
  ["number limit, request 1", 200, "TS-1024"],
  ["number limit, request 2", 200, "TS-1024"],
  ["number limit, request 3", 200, "TS-1024"],
  ["number limit, request 4", 429, "NUMBER_LIMIT"],
  ["refused country", 403, "COUNTRY_NOT_ALLOWED"],
  ["oversize body", 413, "BODY_TOO_LARGE"],
  ["not JSON", 400, "INVALID_JSON"],
  ["not JSON content type", 415, "UNSUPPORTED_MEDIA_TYPE"],
  ["disallowed origin", 403, "ORIGIN_NOT_ALLOWED"],
  ["disallowed origin, preflight", 403, "ORIGIN_NOT_ALLOWED"],
  ["allowed origin, preflight", 204, null],
  ["allowed origin", 200, "TS-1024"],
  ["unknown template", 400, "UNKNOWN_TEMPLATE"],
  ["configured template", 200, "TS-1024"],
  ["invalid number", 400, "INVALID_MOBILE"],
  ["a key sent by the page is ignored", 200, "TS-1024"],
  ["wrong path", 404, "NOT_FOUND"],
  ["same origin, not in the list", 200, "TS-1024"],
  ["cooldown, first code", 200, "TS-1024"],
  ["cooldown, second code", 429, "COOLDOWN"],
  ["Turnstile token missing", 403, "TURNSTILE_REQUIRED"],
  ["Turnstile token refused", 403, "TURNSTILE_FAILED"],
  ["Turnstile token accepted", 200, "TS-1024"],
];

/** The scenario's Origin "SELF" stands for the handler's own origin. */
function withSelf(init, self) {
  if (init.headers?.Origin !== "SELF") return init;
  return { ...init, headers: { ...init.headers, Origin: new URL(self).origin } };
}

function check(result) {
  assert.deepEqual(
    result.rows.map((r) => [r.name, r.status, r.code]),
    EXPECTED,
    result.runtime,
  );
  assert.equal(result.sendsToLimitedNumber, 3, "the sandbox saw exactly N sends");
  assert.equal(
    result.rows.find((r) => r.name === "number limit, request 4").retryAfter !== null,
    true,
    "429 carries Retry-After",
  );
  assert.ok(
    Number(result.rows.find((r) => r.name === "cooldown, second code").retryAfter) >= 59,
    "the cooldown's Retry-After",
  );
  assert.equal(result.rows.find((r) => r.name === "allowed origin, preflight").acao, "https://shop.example");
  assert.equal(result.rows.find((r) => r.name === "allowed origin").acao, "https://shop.example");
  assert.equal(result.rows.find((r) => r.name === "disallowed origin").acao, null);
  assert.equal(result.leaked, false, "the key appeared in a response");
}

test("Node: every abuse control, called directly", async () => {
  const handlers = {
    api: createOtpHandler(handlerConfig(sandbox.url)),
    cool: createOtpHandler(cooldownConfig(sandbox.url)),
    guarded: createOtpHandler(guardedConfig(sandbox.url, siteverifyUrl)),
  };
  const call = (path, init) =>
    (handlers[path.split("/")[1]] ?? handlers.api)(
      new Request(`https://handler.test${path}`, withSelf(init, "https://handler.test")),
    );
  check(await runHandlerScenarios(call, sandbox.url, "node"));
});

test("workerd: every abuse control, under wrangler dev", async () => {
  const worker = await wranglerDev(join(consumerDir, "tests/runtimes/fixtures/edge"), {
    SANDBOX: sandbox.url,
    SITEVERIFY: siteverifyUrl,
  });
  try {
    check(
      await runHandlerScenarios(
        (path, init) => fetch(worker.url + path, withSelf(init, worker.url)),
        sandbox.url,
        "workerd",
      ),
    );
    // createOtpService, the core with no HTTP, imported from "turkeysms-otp" in workerd.
    const mobile = `90538${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    const sent = await (await fetch(`${worker.url}/service?mobile=${encodeURIComponent(`+${mobile}`)}`)).json();
    assert.equal(sent.mobile, mobile, JSON.stringify(sent));
    assert.match(sent.id, /^[\w-]{22}$/);
  } finally {
    await worker.stop();
  }
});

test("a cooldown refuses the second code to a number with 429 and Retry-After", async () => {
  const handle = createOtpHandler({ ...handlerConfig(sandbox.url), cooldownMs: 60_000 });
  const send = () =>
    handle(
      new Request("http://h/api/otp/send", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ mobile: "+905379990001" }),
      }),
    );
  assert.equal((await send()).status, 200);
  const second = await send();
  assert.equal(second.status, 429);
  assert.equal((await second.json()).result_code, "COOLDOWN");
  assert.ok(Number(second.headers.get("retry-after")) >= 59);
});

test("the global per-minute cap and the per-IP limit (behind a trusted proxy)", async () => {
  const capped = createOtpHandler({ ...handlerConfig(sandbox.url), globalPerMinute: 2 });
  const codes = [];
  for (let i = 0; i < 3; i++)
    codes.push(
      (
        await (
          await capped(
            new Request("http://h/api/otp/send", {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ mobile: `+90537999100${i}` }),
            }),
          )
        ).json()
      ).result_code,
    );
  assert.deepEqual(codes, ["TS-1024", "TS-1024", "GLOBAL_LIMIT"]);
  const perIp = createOtpHandler({ ...handlerConfig(sandbox.url), trustProxy: "cloudflare", perIp: { limit: 1 } });
  const from = (ip, i) =>
    perIp(
      new Request("http://h/api/otp/send", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
        body: JSON.stringify({ mobile: `+90537999200${i}` }),
      }),
    );
  assert.equal((await from("203.0.113.7", 1)).status, 200);
  assert.equal((await (await from("203.0.113.7", 2)).json()).result_code, "IP_LIMIT");
  assert.equal((await from("198.51.100.9", 3)).status, 200, "another address is not limited");
  const untrusted = createOtpHandler({ ...handlerConfig(sandbox.url), perIp: { limit: 1 } });
  for (let i = 4; i < 6; i++) {
    const r = await untrusted(
      new Request("http://h/api/otp/send", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.7" },
        body: JSON.stringify({ mobile: `+90537999200${i}` }),
      }),
    );
    assert.equal(r.status, 200, "without trustProxy the header is not believed");
  }
});

test("Turnstile: hostname and action must match, siteverify has a deadline, the preflight allows the token", async () => {
  const handlerWith = (turnstile) =>
    createOtpHandler({
      ...handlerConfig(sandbox.url),
      prefix: "",
      turnstile: { secret: "turnstile-secret", siteverifyUrl, ...turnstile },
    });
  const send = async (handle, token, mobile) => {
    const response = await handle(
      new Request("http://h/otp/send", {
        method: "POST",
        headers: { "Content-Type": "application/json", "cf-turnstile-response": token },
        body: JSON.stringify({ mobile }),
      }),
    );
    return (await response.json()).result_code;
  };
  assert.equal(
    await send(handlerWith({ hostname: "shop.example", action: "login" }), "good-token", "+905379995001"),
    "TS-1024",
  );
  assert.equal(
    await send(handlerWith({ hostname: "evil.example" }), "good-token", "+905379995002"),
    "TURNSTILE_FAILED",
  );
  assert.equal(await send(handlerWith({ action: "signup" }), "good-token", "+905379995003"), "TURNSTILE_FAILED");
  const started = Date.now();
  assert.equal(await send(handlerWith({ timeoutMs: 300 }), "slow-token", "+905379995004"), "TURNSTILE_FAILED");
  assert.ok(Date.now() - started < 2000, "siteverify that never answers is a refusal at timeoutMs");
  const preflight = await handlerWith({})(
    new Request("http://h/otp/send", {
      method: "OPTIONS",
      headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST" },
    }),
  );
  assert.match(preflight.headers.get("access-control-allow-headers"), /cf-turnstile-response/i);
});

test("sendOtp passes a Turnstile token to the handler (turnstileToken), typed and validated", async () => {
  const handle = createOtpHandler({ ...guardedConfig(sandbox.url, siteverifyUrl), prefix: "/api" });
  const server = await serveStatic({ mounts: {}, handlers: { "/api/": handle } });
  try {
    const baseUrl = `${server.url}api`;
    const ok = await sendOtp({ baseUrl, mobile: "0537 999 60 01", turnstileToken: "good-token", maxRetries: 0 });
    assert.equal(ok.code, "TS-1024");
    const refused = await sendOtp({
      baseUrl,
      mobile: "0537 999 60 02",
      turnstileToken: "bad-token",
      maxRetries: 0,
    }).catch((e) => e);
    assert.equal(refused.code, "TURNSTILE_FAILED");
    const invalid = await sendOtp({ baseUrl, mobile: "0537 999 60 03", turnstileToken: 42 }).catch((e) => e);
    assert.equal(invalid.code, "INVALID_OPTIONS");
    assert.equal(invalid.field, "turnstileToken");
  } finally {
    await server.close();
  }
});

test("the SDK sends through the handler with no key: sendOtp({ baseUrl }) over HTTP", async () => {
  const handle = createOtpHandler(handlerConfig(sandbox.url));
  const server = await serveStatic({ mounts: {}, handlers: { "/api/": handle } });
  try {
    const result = await sendOtp({ baseUrl: `${server.url}api`, mobile: "0537 999 30 01" });
    assert.equal(result.code, "TS-1024");
    const [request] = (await (await fetch(`${sandbox.url}/sandbox/requests?mobile=905379993001`)).json()).requests;
    assert.equal(request.body.api_key, "[redacted]", "the handler added the key");
    const refused = await sendOtp({ baseUrl: `${server.url}api`, mobile: "+4915123456789" }).catch((e) => e);
    assert.equal(refused.code, "COUNTRY_NOT_ALLOWED");
    assert.equal(refused.status, 403);
  } finally {
    await server.close();
  }
});
