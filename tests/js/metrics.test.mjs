// otelMetrics(meter) read back through OpenTelemetry's own SDK (@opentelemetry/sdk-metrics), not a
// mock: a real handler served over HTTP, the sandbox as TurkeySMS posting its signed webhooks,
// and a MeterProvider whose reader collects what was recorded. Then the export: the SDK's OTLP
// HTTP exporter (JSON) posting to a collector on 127.0.0.1. (tests/runtimes/otel-workerd.test.mjs
// does the same from a Worker in workerd.)
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { MeterProvider, MetricReader, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { createOtpHandler, otelMetrics } from "turkeysms-otp";
import { serveHandler } from "../stores/serve.mjs";
import { inboxOf, startSandbox, uniqueKey } from "./helpers.mjs";
import { otlpMetrics, sorted, startCollector } from "./otlp-collector.mjs";

const SECRET = randomBytes(32).toString("base64");
const HOOK_SECRET = "whsec_metrics_0123456789abcdef";
const TEMPLATES = { welcome: { title: "MyApp", text: "Welcome! Your code: TS-CODE" } };
/** Client addresses the requests come from (through a trusted proxy's X-Forwarded-For). */
const ADDRESSES = ["203.0.113.77", "2001:db8:4:5:6:7:8:9"];

let sandbox;
before(async () => {
  // Quick lifecycles (sms.sent, then sms.delivered) and no duplicate window.
  sandbox = await startSandbox({ rateLimit: 1_000_000, duplicateWindowMs: 0, webhookDelaysMs: [40, 80] });
});
after(() => sandbox.close());

let n = 0;
/** A number of this file's own (the sandbox is shared with no other file, but runs stay apart). */
const number = () => `90542${String(process.pid % 1000).padStart(3, "0")}${String(++n).padStart(4, "0")}`;

/** A reader of the SDK that only collects when asked: `collect()` resolves name → [attributes, value]. */
class CollectingReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

async function meterOf() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  const collect = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    assert.deepEqual(errors, []);
    const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    return Object.fromEntries(metrics.map((m) => [m.descriptor.name, m]));
  };
  return { meter: provider.getMeter("turkeysms-otp-test"), collect };
}

/** A metric's points as [attributes, value] (a histogram's value: its count), in a stable order. */
const points = (metric, value = (v) => v) =>
  sorted((metric?.dataPoints ?? []).map((p) => [p.attributes, value(p.value)]));

/** POSTs JSON to a handler, from `address` through the trusted proxy. */
async function post(handle, path, body, address = ADDRESSES[0]) {
  const response = await handle(
    new Request(`https://shop.test/api${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": address },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, ...(await response.json()) };
}

/** Waits until the sandbox's webhooks of `smsId` were each answered 200 (`count` of them). */
async function webhooksAnswered(smsId, count) {
  for (let i = 0; i < 200; i++) {
    const { webhooks } = await (await fetch(`${sandbox.url}/sandbox/webhooks?sms_id=${smsId}`)).json();
    if (webhooks.filter((w) => w.status === 200).length >= count) return webhooks;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the sandbox's webhooks of ${smsId} were not all answered 200`);
}

/**
 * The requests of the first test, through two handlers sharing one otelMetrics: a served one
 * (its key works; the sandbox posts its webhooks to it) and one whose key TurkeySMS refuses
 * (TS-1027, no balance). Resolves to what the test checks the metrics against.
 */
async function driveRequests(onEvent) {
  const config = {
    baseUrl: sandbox.url,
    prefix: "/api",
    trustProxy: "x-forwarded-for",
    verify: { secret: SECRET },
    templates: TEMPLATES,
    onEvent,
  };
  const apiKey = uniqueKey("metrics");
  const handle = createOtpHandler({ ...config, apiKey, webhook: { secret: HOOK_SECRET } });
  const broke = createOtpHandler({ ...config, apiKey: "sandbox-no-balance" });
  const served = await serveHandler(handle);
  sandbox.setWebhook({ url: `${served.url}/api/webhooks/turkeysms`, secret: HOOK_SECRET });
  try {
    const [one, two, three] = [number(), number(), number()];
    const answers = [];
    answers.push(await post(handle, "/otp/send", { mobile: one }));
    answers.push(await post(handle, "/otp/send", { mobile: one }, ADDRESSES[1])); // COOLDOWN
    answers.push(await post(handle, "/otp/detailed", { mobile: two, ...TEMPLATES.welcome }, ADDRESSES[1]));
    const [first, second] = [(await inboxOf(sandbox, one)).at(-1), (await inboxOf(sandbox, two)).at(-1)];
    const wrong = first.code === "0000" ? "1111" : "0000";
    answers.push(await post(handle, "/otp/verify", { mobile: one, code: wrong })); // CODE_INVALID
    answers.push(await post(handle, "/otp/verify", { mobile: one, code: first.code }));
    answers.push(await post(broke, "/otp/send", { mobile: three })); // TS-1027 → UNAVAILABLE
    assert.deepEqual(
      answers.map((a) => a.result_code),
      ["TS-1024", "COOLDOWN", "TS-1024", "CODE_INVALID", "VERIFIED", "UNAVAILABLE"],
    );
    // Each sent SMS's lifecycle: sms.sent, then sms.delivered, both acknowledged.
    const hooks = [...(await webhooksAnswered(first.smsId, 2)), ...(await webhooksAnswered(second.smsId, 2))];
    return {
      numbers: [one, two, three],
      ids: [answers[0].id, answers[2].id, first.smsId, second.smsId].map(String),
      codes: [first.code, second.code],
      tokens: [answers[4].token],
      apiKey,
      hooks,
    };
  } finally {
    sandbox.setWebhook({ url: null, secret: null });
    await served.close();
  }
}

describe("otelMetrics: the metrics, read back through @opentelemetry/sdk-metrics, match the requests made", () => {
  let metrics;
  let made;
  const events = [];
  before(async () => {
    const { meter, collect } = await meterOf();
    const record = otelMetrics(meter);
    // Composed with an onEvent of one's own, as the docs show.
    made = await driveRequests((e) => {
      record(e);
      events.push(e);
    });
    metrics = await collect();
  });

  test("the instruments: names, kinds, units and descriptions", () => {
    assert.deepEqual(
      Object.values(metrics)
        .map((m) => [m.descriptor.name, m.descriptor.type, m.descriptor.unit])
        .sort(),
      [
        ["turkeysms_otp.deliveries", "COUNTER", "{delivery}"],
        ["turkeysms_otp.refusals", "COUNTER", "{refusal}"],
        ["turkeysms_otp.sends", "COUNTER", "{send}"],
        ["turkeysms_otp.upstream.duration", "HISTOGRAM", "ms"],
        ["turkeysms_otp.verifications", "COUNTER", "{verification}"],
      ],
    );
    for (const m of Object.values(metrics)) assert.match(m.descriptor.description, /^[A-Z].{20,}\.$/);
  });

  test("sends: one per code sent, by calling code and template", () => {
    assert.deepEqual(
      points(metrics["turkeysms_otp.sends"]),
      sorted([
        [{ country_code: "90", template: "standard" }, 1],
        [{ country_code: "90", template: "welcome" }, 1],
      ]),
    );
  });

  test("refusals: the cooldown, the wrong code and the upstream failure, by the code answered", () => {
    assert.deepEqual(
      points(metrics["turkeysms_otp.refusals"]),
      sorted([
        [{ code: "COOLDOWN" }, 1],
        [{ code: "CODE_INVALID" }, 1],
        [{ code: "UNAVAILABLE" }, 1],
      ]),
    );
  });

  test("verifications: one per check answered, by result", () => {
    assert.deepEqual(
      points(metrics["turkeysms_otp.verifications"]),
      sorted([
        [{ result: "CODE_INVALID" }, 1],
        [{ result: "VERIFIED" }, 1],
      ]),
    );
  });

  test("upstream.duration: one per call that reached TurkeySMS, by TurkeySMS's code", () => {
    const histogram = metrics["turkeysms_otp.upstream.duration"];
    assert.deepEqual(
      points(histogram, (v) => v.count),
      sorted([
        [{ result_code: "TS-1024" }, 2],
        [{ result_code: "TS-1027" }, 1],
      ]),
    );
    // The values recorded are the events' own upstreamMs, each a duration.
    const recorded = events.filter((e) => e.upstreamMs !== undefined);
    assert.equal(recorded.length, 3);
    for (const e of recorded) assert.ok(Number.isInteger(e.upstreamMs) && e.upstreamMs >= 0 && e.upstreamMs <= e.ms);
    const sum = histogram.dataPoints.reduce((total, p) => total + p.value.sum, 0);
    assert.equal(
      sum,
      recorded.reduce((total, e) => total + e.upstreamMs, 0),
    );
  });

  test("deliveries: each status the webhooks applied, by status", () => {
    assert.equal(made.hooks.length, 4, JSON.stringify(made.hooks.map((h) => [h.event_type, h.status])));
    assert.deepEqual(
      points(metrics["turkeysms_otp.deliveries"]),
      sorted([
        [{ status: "SENT" }, 2],
        [{ status: "DELIVERED" }, 2],
      ]),
    );
  });

  test("no attribute carries a number, a masked number, an address, an id, a code or the key", () => {
    const masked = events.map((e) => e.mobile).filter(Boolean);
    const clients = events.map((e) => e.client).filter(Boolean);
    assert.ok(masked.length > 0 && clients.length > 0, "the events had numbers and clients to leak");
    const forbidden = [
      ...made.numbers,
      ...made.numbers.map((m) => m.slice(2)), // the national part
      ...made.numbers.map((m) => `0${m.slice(2)}`),
      ...masked,
      ...ADDRESSES,
      ...clients,
      ...made.ids,
      ...made.codes,
      ...made.tokens,
      made.apiKey,
    ];
    const allowedKeys = {
      "turkeysms_otp.sends": ["country_code", "template"],
      "turkeysms_otp.refusals": ["code"],
      "turkeysms_otp.verifications": ["result"],
      "turkeysms_otp.upstream.duration": ["result_code"],
      "turkeysms_otp.deliveries": ["status"],
    };
    let scanned = 0;
    for (const [name, metric] of Object.entries(metrics)) {
      for (const { attributes } of metric.dataPoints) {
        assert.deepEqual(Object.keys(attributes).sort(), allowedKeys[name], name);
        for (const [key, value] of Object.entries(attributes)) {
          scanned += 1;
          assert.equal(typeof value, "string");
          for (const secret of forbidden) assert.ok(!value.includes(secret), `${name} ${key}=${value} has ${secret}`);
          // The only digits an attribute may carry: the calling code, and TurkeySMS's TS-####.
          if (key === "country_code") assert.equal(value, "90");
          else assert.doesNotMatch(value.replace(/^TS-\d{4}$/, ""), /\d/, `${name} ${key}=${value}`);
        }
      }
    }
    assert.ok(scanned >= 12, `${scanned} attribute values scanned`);
  });
});

describe("otelMetrics: the attributes are closed sets whatever the event says", () => {
  test("a value of another shape is recorded as other, never as it came", async () => {
    const { meter, collect } = await meterOf();
    const record = otelMetrics(meter);
    record({ type: "sent", action: "send", code: "TS-1024", country: "905321234567", template: "x".repeat(65) });
    record({
      type: "failed",
      action: "send",
      code: "UNAVAILABLE",
      upstream: "TS-1999 for 905321234567",
      upstreamMs: 3,
    });
    // A proxy in front of TurkeySMS answering words of its own: not a series of their own.
    record({ type: "failed", action: "send", code: "UNAVAILABLE", upstream: "PROXY_SAYS_NO", upstreamMs: 4 });
    record({ type: "refused", action: "check", code: "not a code 905321234567" });
    record({ type: "webhook", code: "ACCEPTED", result: "applied", delivery: "delivered to 905321234567" });
    const metrics = await collect();
    assert.deepEqual(points(metrics["turkeysms_otp.sends"]), [[{ country_code: "other", template: "other" }, 1]]);
    assert.deepEqual(
      points(metrics["turkeysms_otp.refusals"]),
      sorted([
        [{ code: "UNAVAILABLE" }, 2],
        [{ code: "other" }, 1],
      ]),
    );
    assert.deepEqual(points(metrics["turkeysms_otp.verifications"]), [[{ result: "other" }, 1]]);
    assert.deepEqual(
      points(metrics["turkeysms_otp.upstream.duration"], (v) => v.count),
      [[{ result_code: "other" }, 2]],
    );
    assert.deepEqual(points(metrics["turkeysms_otp.deliveries"]), [[{ status: "other" }, 1]]);
  });

  test("webhooks that changed nothing and a verified's hook error count nothing", async () => {
    const { meter, collect } = await meterOf();
    const record = otelMetrics(meter);
    for (const result of ["duplicate", "ignored", "unknown", "notice"]) {
      record({ type: "webhook", code: "ACCEPTED", result, delivery: "DELIVERED", client: null, mobile: null, ms: 0 });
    }
    record({ type: "store-error", action: "send", error: "release failed", client: null, mobile: null, ms: 0 });
    record({ type: "hook-error", error: "boom", client: null, mobile: null, ms: 0 });
    const metrics = await collect();
    assert.deepEqual(
      Object.values(metrics).flatMap((m) => m.dataPoints),
      [],
    );
  });

  test("anything but a Meter is a TypeError", () => {
    for (const wrong of [undefined, null, {}, { createCounter() {} }, "meter"]) {
      assert.throws(() => otelMetrics(/** @type {any} */ (wrong)), TypeError);
    }
  });
});

describe("otelMetrics exported over OTLP/HTTP (JSON) by the SDK's exporter, to a collector on 127.0.0.1", () => {
  let collector;
  before(async () => {
    collector = await startCollector();
  });
  after(() => collector.close());

  test("the collector receives every instrument with the values of the requests made", async () => {
    const exporter = new OTLPMetricExporter({ url: `${collector.url}/v1/metrics` });
    // An hour between exports: only the forceFlush below exports.
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const handle = createOtpHandler({
      apiKey: uniqueKey("otlp"),
      baseUrl: sandbox.url,
      prefix: "/api",
      verify: { secret: SECRET },
      webhook: { secret: HOOK_SECRET },
      onEvent: otelMetrics(provider.getMeter("turkeysms-otp")),
    });
    const mobile = number();
    assert.equal((await post(handle, "/otp/send", { mobile })).result_code, "TS-1024");
    assert.equal((await post(handle, "/otp/send", { mobile })).result_code, "COOLDOWN");
    const { code, smsId } = (await inboxOf(sandbox, mobile)).at(-1);
    assert.equal((await post(handle, "/otp/verify", { mobile, code: code === "0000" ? "1111" : "0000" })).status, 400);
    assert.equal((await post(handle, "/otp/verify", { mobile, code })).result_code, "VERIFIED");
    // TurkeySMS's delivery event, signed as TurkeySMS signs it.
    const raw = JSON.stringify({
      event_type: "sms.delivered",
      timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      data: { sms_id: smsId, status: "delivered" },
    });
    const hook = await handle(
      new Request("https://shop.test/api/webhooks/turkeysms", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-TurkeySMS-Signature": `sha256=${createHmac("sha256", HOOK_SECRET).update(raw).digest("hex")}`,
        },
        body: raw,
      }),
    );
    assert.equal(hook.status, 200);
    await provider.forceFlush();

    assert.equal(collector.received.length, 1, "one export: the flush");
    const [{ method, path, type, body }] = collector.received;
    assert.deepEqual([method, path, type], ["POST", "/v1/metrics", "application/json"]);
    const metrics = otlpMetrics(JSON.parse(body), "turkeysms-otp");
    assert.deepEqual(metrics["turkeysms_otp.sends"], {
      unit: "{send}",
      points: [[{ country_code: "90", template: "standard" }, 1]],
    });
    assert.deepEqual(metrics["turkeysms_otp.refusals"], {
      unit: "{refusal}",
      points: sorted([
        [{ code: "COOLDOWN" }, 1],
        [{ code: "CODE_INVALID" }, 1],
      ]),
    });
    assert.deepEqual(metrics["turkeysms_otp.verifications"], {
      unit: "{verification}",
      points: sorted([
        [{ result: "CODE_INVALID" }, 1],
        [{ result: "VERIFIED" }, 1],
      ]),
    });
    assert.deepEqual(metrics["turkeysms_otp.upstream.duration"], {
      unit: "ms",
      points: [[{ result_code: "TS-1024" }, 1]],
    });
    assert.deepEqual(metrics["turkeysms_otp.deliveries"], {
      unit: "{delivery}",
      points: [[{ status: "DELIVERED" }, 1]],
    });
    assert.equal(Object.keys(metrics).length, 5);
    await provider.shutdown();
  });
});
