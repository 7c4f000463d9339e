// otelMetrics in workerd under wrangler dev: a Worker (fixtures/otel) runs createOtpHandler with
// otelMetrics on OpenTelemetry's own SDK and OTLP/HTTP exporter, flushing after each request with
// ctx.waitUntil, to a collector on 127.0.0.1; the sandbox is TurkeySMS and posts its webhooks to
// the Worker. The collector must receive every instrument with the values of the requests made.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startSandbox } from "../js/helpers.mjs";
import { otlpMetrics, sorted, startCollector } from "../js/otlp-collector.mjs";
import { consumerDir, wranglerDev } from "./processes.mjs";

const HOOK_SECRET = "whsec_otel_workerd_0123456789";
const API_KEY = `workerd-otel-${process.pid}`;
let sandbox;
let collector;
let worker;
before(async () => {
  sandbox = await startSandbox({ rateLimit: 1_000_000, duplicateWindowMs: 0, webhookDelaysMs: [40, 80] });
  collector = await startCollector();
  worker = await wranglerDev(join(consumerDir, "tests/runtimes/fixtures/otel"), {
    SANDBOX: sandbox.url,
    COLLECTOR: collector.url,
    API_KEY,
    VERIFY_SECRET: randomBytes(32).toString("base64"),
    HOOK_SECRET,
  });
  sandbox.setWebhook({ url: `${worker.url}/api/webhooks/turkeysms`, secret: HOOK_SECRET });
});
after(async () => {
  await worker?.stop();
  await sandbox?.close();
  await collector?.close();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const post = async (path, body) => {
  const response = await fetch(`${worker.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...(await response.json()) };
};

/** Every export so far, merged: each point's largest value (the temporality is cumulative). */
function exported() {
  const merged = {};
  for (const { body } of collector.received) {
    for (const [name, { unit, points }] of Object.entries(otlpMetrics(JSON.parse(body), "turkeysms-otp"))) {
      merged[name] ??= { unit, points: {} };
      for (const [attributes, value] of points) {
        const key = JSON.stringify(attributes);
        merged[name].points[key] = Math.max(merged[name].points[key] ?? 0, value);
      }
    }
  }
  return Object.fromEntries(
    Object.entries(merged).map(([name, { unit, points }]) => [
      name,
      { unit, points: sorted(Object.entries(points).map(([key, value]) => [JSON.parse(key), value])) },
    ]),
  );
}

test("workerd: the Worker's exports reach the collector with every instrument and the values of the requests made", async () => {
  const mobile = `90543${String(process.pid % 10000).padStart(4, "0")}001`;
  const answers = [await post("/api/otp/send", { mobile }), await post("/api/otp/send", { mobile })];
  const { code, smsId } = (await (await fetch(`${sandbox.url}/sandbox/messages?mobile=${mobile}`)).json()).messages.at(
    -1,
  );
  answers.push(await post("/api/otp/verify", { mobile, code: code === "0000" ? "1111" : "0000" }));
  answers.push(await post("/api/otp/verify", { mobile, code }));
  answers.push(await post("/broke/otp/send", { mobile: `90543${String(process.pid % 10000).padStart(4, "0")}002` }));
  assert.deepEqual(
    answers.map((a) => a.result_code),
    ["TS-1024", "COOLDOWN", "CODE_INVALID", "VERIFIED", "UNAVAILABLE"],
  );

  const expected = {
    "turkeysms_otp.sends": { unit: "{send}", points: [[{ country_code: "90", template: "standard" }, 1]] },
    "turkeysms_otp.refusals": {
      unit: "{refusal}",
      points: sorted([
        [{ code: "COOLDOWN" }, 1],
        [{ code: "CODE_INVALID" }, 1],
        [{ code: "UNAVAILABLE" }, 1],
      ]),
    },
    "turkeysms_otp.verifications": {
      unit: "{verification}",
      points: sorted([
        [{ result: "CODE_INVALID" }, 1],
        [{ result: "VERIFIED" }, 1],
      ]),
    },
    "turkeysms_otp.upstream.duration": {
      unit: "ms",
      points: sorted([
        [{ result_code: "TS-1024" }, 1],
        [{ result_code: "TS-1027" }, 1],
      ]),
    },
    "turkeysms_otp.deliveries": {
      unit: "{delivery}",
      points: sorted([
        [{ status: "SENT" }, 1],
        [{ status: "DELIVERED" }, 1],
      ]),
    },
  };
  // The sandbox's webhooks (sms.sent, sms.delivered) arrive on their own, and each flush runs
  // after its answer (waitUntil): wait for them, up to a bound that only a failure reaches.
  for (let i = 0; i < 400; i++) {
    const { webhooks } = await (await fetch(`${sandbox.url}/sandbox/webhooks?sms_id=${smsId}`)).json();
    if (webhooks.filter((w) => w.status === 200).length >= 2 && assertEqualSafe(exported(), expected)) break;
    await sleep(25);
  }
  assert.deepEqual(exported(), expected, worker.output().slice(-3000));
  for (const { method, path, type } of collector.received) {
    assert.deepEqual([method, path, type], ["POST", "/v1/metrics", "application/json"]);
  }
  // One export per request's flush at least: the requests above, and the two webhooks.
  assert.ok(collector.received.length >= 7, `${collector.received.length} exports`);
});

function assertEqualSafe(actual, expected) {
  try {
    assert.deepEqual(actual, expected);
    return true;
  } catch {
    return false;
  }
}
