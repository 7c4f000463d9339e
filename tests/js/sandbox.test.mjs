// The sandbox itself, spoken to with plain fetch: it must follow docs/TURKEYSMS.md on its own,
// or the SDK's tests against it would prove nothing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { spawnSandbox, startSandbox, TRIGGER_KEYS } from "../../sandbox/server.mjs";
import { sha256, uniqueKey, uniqueMobile } from "./helpers.mjs";

let sandbox;
before(async () => {
  sandbox = await startSandbox({ rateLimit: 3, duplicateWindowMs: 400 });
});
after(() => sandbox.close());

async function post(path, body, headers = { "Content-Type": "application/json" }) {
  const response = await fetch(sandbox.url + path, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, json, text, type: response.headers.get("content-type") };
}

test("starts in well under a second and prints nothing but its URL", async () => {
  const started = performance.now();
  const other = await startSandbox();
  assert.ok(performance.now() - started < 500);
  assert.match(other.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  await other.close();
});

test("POST /otp/send delivers a code of `digits` digits and answers the envelope", async () => {
  const mobile = "905" + "32" + "1234567";
  const r = await post("/otp/send", { api_key: uniqueKey("s"), mobile, lang: 0, digits: 5 });
  assert.equal(r.status, 200);
  assert.equal(r.json.result, true);
  assert.equal(r.json.result_code, "TS-1024");
  assert.equal(typeof r.json.sms_id, "number");
  assert.equal(r.json.number_of_sms, 1);
  const sms = sandbox.state.messages.at(-1);
  assert.match(sms.code, /^\d{5}$/);
  assert.ok(sms.text.includes(sms.code));
});

test("POST /otp/detailed renders TS-CODE and counts segments itself", async () => {
  const r = await post("/otp/detailed", {
    api_key: uniqueKey("d"),
    mobile: uniqueMobile(),
    title: "MyApp",
    text: `${"ş".repeat(66)} TS-CODE`,
  });
  assert.equal(r.status, 200);
  assert.equal(r.json.number_of_sms, 2, "73 UCS-2 characters are two segments");
  const sms = sandbox.state.messages.at(-1);
  assert.equal(sms.text, `${"ş".repeat(66)} ${sms.code}`);
});

test("documented failures answer the documented codes and statuses", async () => {
  const mobile = uniqueMobile();
  const cases = [
    [{ mobile }, 401, "TS-1031"],
    [{ api_key: "", mobile }, 401, "TS-1031"],
    [{ api_key: "sandbox-invalid-key", mobile }, 401, "TS-1031"],
    [{ api_key: "sandbox-no-balance", mobile }, 403, "TS-1027"],
    [{ api_key: "sandbox-no-permission", mobile }, 403, "TS-1065"],
    [{ api_key: "sandbox-no-post", mobile }, 403, "TS-1061"],
    [{ api_key: "sandbox-rate-limited", mobile }, 403, "TS-1060"],
    [{ api_key: uniqueKey("c"), mobile: "" }, 400, "TS-1025"],
    [{ api_key: uniqueKey("c"), mobile: "+905321234567" }, 400, "TS-1034"],
    [{ api_key: uniqueKey("c"), mobile: "902121234567" }, 400, "TS-1034"],
    [{ api_key: uniqueKey("c"), mobile, digits: 7 }, 400, "TS-1033"],
    [{ api_key: uniqueKey("c"), mobile, lang: "tr" }, 400, "TS-1033"],
  ];
  for (const [body, status, code] of cases) {
    const r = await post("/otp/send", body);
    assert.deepEqual([r.status, r.json.result, r.json.result_code], [status, false, code], JSON.stringify(body));
    assert.equal(typeof r.json.result_message, "string");
  }
  const detailed = [
    [{ api_key: uniqueKey("c"), mobile, text: "TS-CODE" }, 400, "TS-1029"],
    [{ api_key: uniqueKey("c"), mobile, title: "INACTIVE", text: "TS-CODE" }, 403, "TS-1028"],
    [{ api_key: uniqueKey("c"), mobile, title: "T" }, 400, "TS-1026"],
    [{ api_key: uniqueKey("c"), mobile, title: "T", text: "no placeholder" }, 400, "TS-1033"],
  ];
  for (const [body, status, code] of detailed) {
    const r = await post("/otp/detailed", body);
    assert.deepEqual([r.status, r.json.result_code], [status, code], JSON.stringify(body));
  }
  const notJson = await post("/otp/send", "{nope");
  assert.deepEqual([notJson.status, notJson.json.result_code], [400, "TS-1033"]);
  const wrongType = await post("/otp/send", JSON.stringify({ api_key: "k", mobile }), { "Content-Type": "text/plain" });
  assert.deepEqual([wrongType.status, wrongType.json.result_code], [400, "TS-1033"]);
});

test("fault triggers misbehave as documented", async () => {
  const mobile = uniqueMobile();
  const html = await post("/otp/send", { api_key: "sandbox-server-error", mobile });
  assert.equal(html.status, 500);
  assert.match(html.type, /text\/html/);
  const notJson = await post("/otp/send", { api_key: "sandbox-not-json", mobile });
  assert.equal(notJson.status, 200);
  assert.equal(notJson.json, undefined);
  await assert.rejects(post("/otp/send", { api_key: "sandbox-reset", mobile }));
  await assert.rejects(
    fetch(`${sandbox.url}/otp/send`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ api_key: "sandbox-hang", mobile }),
      signal: AbortSignal.timeout(300),
    }),
    { name: "TimeoutError" },
  );
  for (const key of Object.keys(TRIGGER_KEYS)) assert.match(key, /^sandbox-/);
});

test("an identical request within the window is not delivered twice", async () => {
  const body = { api_key: uniqueKey("dup"), mobile: uniqueMobile(), digits: 4 };
  const before = sandbox.state.messages.length;
  const first = await post("/otp/send", body);
  const second = await post("/otp/send", body);
  assert.deepEqual(second.json, first.json, "the duplicate answers as the original");
  assert.equal(sandbox.state.messages.length, before + 1);
  await new Promise((r) => setTimeout(r, 450));
  const third = await post("/otp/send", body);
  assert.notEqual(third.json.sms_id, first.json.sms_id);
  assert.equal(sandbox.state.messages.length, before + 2, "after the window it sends again");
  const listed = await (await fetch(`${sandbox.url}/sandbox/requests?mobile=${body.mobile}`)).json();
  assert.deepEqual(
    listed.requests.map((r) => r.answer.duplicate === true),
    [false, true, false],
    "/sandbox/requests marks the duplicate, and only it",
  );
  assert.equal(listed.requests[1].answer.code, "TS-1024");
});

test("a real per-minute counter per key answers TS-1060 past the limit", async () => {
  const key = uniqueKey("rate");
  const codes = [];
  for (let i = 0; i < 5; i++)
    codes.push((await post("/otp/send", { api_key: key, mobile: uniqueMobile() })).json.result_code);
  assert.deepEqual(codes, ["TS-1024", "TS-1024", "TS-1024", "TS-1060", "TS-1060"]);
  assert.equal(
    (await post("/otp/send", { api_key: uniqueKey("other"), mobile: uniqueMobile() })).json.result_code,
    "TS-1024",
  );
});

test("CORS: preflight and headers let pages on other ports call it", async () => {
  const preflight = await fetch(`${sandbox.url}/otp/send`, {
    method: "OPTIONS",
    headers: {
      Origin: "http://127.0.0.1:9999",
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "content-type",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  assert.match(preflight.headers.get("access-control-allow-methods"), /POST/);
  assert.match(preflight.headers.get("access-control-allow-headers"), /Content-Type/i);
  const r = await fetch(`${sandbox.url}/sandbox/messages`);
  assert.equal(r.headers.get("access-control-allow-origin"), "*");
});

test("the inbox and request log never show a key, and filter by its SHA-256", async () => {
  const key = uniqueKey("inbox-SENTINEL");
  const mobile = uniqueMobile();
  await post("/otp/send", { api_key: key, mobile });
  const inbox = await (await fetch(`${sandbox.url}/sandbox/messages?key_sha256=${sha256(key)}`)).text();
  const log = await (await fetch(`${sandbox.url}/sandbox/requests?key_sha256=${sha256(key)}`)).text();
  assert.ok(!inbox.includes(key) && !log.includes(key));
  assert.equal(JSON.parse(inbox).messages.length, 1);
  assert.equal(JSON.parse(inbox).messages[0].mobile, mobile);
  assert.equal(JSON.parse(log).requests[0].body.api_key, "[redacted]");
});

test("a success carries the code it sent as otp_code (a string, as V3); --no-otp-code leaves it out", async () => {
  const mobile = uniqueMobile();
  const sent = await post("/otp/send", { api_key: uniqueKey("otp-code"), mobile, digits: 4 });
  assert.equal(sent.status, 200);
  const inbox = await (await fetch(`${sandbox.url}/sandbox/messages?mobile=${mobile}`)).json();
  assert.equal(typeof sent.json.otp_code, "string");
  assert.equal(sent.json.otp_code, inbox.messages.at(-1).code);
  // The inbox takes the number as a person types it, too.
  const national = `0${mobile.slice(2, 5)} ${mobile.slice(5, 8)} ${mobile.slice(8)}`;
  for (const spelling of [`+${mobile}`, national, `00${mobile}`, mobile.slice(2)]) {
    const found = await (await fetch(`${sandbox.url}/sandbox/messages?mobile=${encodeURIComponent(spelling)}`)).json();
    assert.deepEqual(found.messages, inbox.messages, spelling);
  }
  const other = await (await fetch(`${sandbox.url}/sandbox/messages?mobile=905009999999`)).json();
  assert.equal(other.messages.length, 0, "another number's inbox is empty");
  const quiet = await spawnSandbox(["--no-otp-code"]);
  try {
    const response = await fetch(`${quiet.url}/otp/send`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ api_key: "k", mobile }),
    });
    const body = await response.json();
    assert.equal(body.result_code, "TS-1024");
    assert.ok(!("otp_code" in body), JSON.stringify(body));
    const delivered = await (await fetch(`${quiet.url}/sandbox/messages?mobile=${mobile}`)).json();
    assert.match(delivered.messages.at(-1).code, /^\d{6}$/, "its inbox still shows the SMS with the code");
  } finally {
    quiet.stop();
  }
});
