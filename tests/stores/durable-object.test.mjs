// durableObjectStore and its OtpStore Durable Object (SQLite storage) in workerd, under
// wrangler dev: the store conformance suite, failures that must reject, one client across
// requests, and the bounded cleanup of expired rows.
import assert from "node:assert/strict";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startSandbox } from "../js/helpers.mjs";
import { consumerDir, wranglerDev } from "../runtimes/processes.mjs";
import { DELIVERY_FLOW_ROWS, HOOK_SECRET, runDeliveryFlow, SANDBOX_WEBHOOKS } from "./delivery-flow.js";
import { GUARD_FLOW_ROWS } from "./guard-flow.js";
import { reportRows } from "./serve.mjs";
import { VERIFY_FLOW_ROWS } from "./verify-flow.js";

const fixture = join(consumerDir, "tests/stores/fixtures/durable-object");

let worker;
before(async () => {
  // A fresh state each run (it is in build/consumer, not the repo: see the last test).
  rmSync(join(fixture, ".wrangler/state"), { recursive: true, force: true });
  worker = await wranglerDev(fixture);
});
after(async () => {
  await worker?.stop();
});

/**
 * GET a fixture route. The conformance route takes seconds; the timeout is for a wedged wrangler
 * dev (seen on this 2-core machine under load), so the failure says so instead of hanging.
 */
const get = async (path) => {
  let response;
  try {
    response = await fetch(worker.url + path, { signal: AbortSignal.timeout(90_000) });
  } catch (error) {
    throw new Error(`${path}: ${error.message}\nwrangler dev said:\n${worker.output().slice(-4000)}`);
  }
  assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
  return response.json();
};

// The suite runs once inside the Worker (it needs the binding); each of its rows is a test here.
describe("workerd: durableObjectStore passes the store conformance suite", () => {
  let rows;
  before(async () => {
    rows = await get("/conformance");
  });
  const NAMES = [
    "counts up to the limit",
    "refuses past the limit, naming the counter",
    "a refusal says when the window ends",
    "refused when any counter is full",
    "a refused reservation counted nothing",
    "release takes a count back",
    "release never goes below zero",
    "a counter of cost 0 needs room and counts nothing",
    "a window ends after windowMs",
    "counters of other keys are apart",
    "50 concurrent reservations for a limit of 1: exactly one",
    "the 49 refused spent nothing of a shared counter",
    "another instance sees the same counters",
    "a wrong hash counts a try; maxAttempts tries, then the code is exhausted",
    "nothing pending is none",
    "any of the hashes verifies; a code works once, and the same code put again stays used",
    "a new code replaces the pending one, tries and all",
    "the same code put again keeps the tries it has had",
    "a code expires after ttlMs, is remembered as expired for ttlMs more, then is gone",
    "a check with nothing pending counts nothing; a live one counts its counters, and a full one refuses with no try",
    "a full counter refuses a check whatever is pending: it cannot tell which numbers have a code",
    "a refused check used no try",
    "50 concurrent wrong guesses with maxAttempts 5: exactly 5 are compared",
    "20 concurrent right answers: exactly one verifies",
    "another instance checks the same code",
    "a send's delivery starts QUEUED",
    "an id no send left has no delivery",
    "a status moves forward only, and the same event twice is a duplicate",
    "an sms_id no send left changes nothing",
    "a failed latest send frees its number: the cooldown released, its pending code dropped for good",
    "an older send that expires frees nothing: the newer send keeps its cooldown and code",
    "another instance reads the same delivery",
    "a range counts sends up to its limit; then, with too few typed back, the next reservation starts its suspension and says so, once",
    "a range whose codes are typed back (checkCode's guardKey) keeps its reservations past its limit",
    "a right check counts one verified in a live range, never past its sends; a range with no record gets none",
    "a reservation refused by another counter counts no send in the range",
    "release takes a range's send back, never below its verified",
    "20 concurrent reservations with one send left before the range is judged: exactly one counted, exactly one starts the suspension",
    "a suspension ends after suspendMs, and the range's window with it: it starts afresh",
    "guardStats lists a list's live range records: sends, verified, and how long each stays suspended",
    "another instance sees the same ranges",
  ];
  test("the suite ran every check", () => {
    assert.deepEqual(
      rows.map((r) => r.name),
      NAMES,
    );
  });
  for (const name of NAMES) {
    test(name, () => {
      const row = rows.find((r) => r.name === name);
      assert.ok(row, "row missing");
      assert.equal(row.ok, true, row.detail);
    });
  }
});

describe("workerd: verify over the Durable Object store, two handlers (every branch of /otp/verify)", () => {
  let rows;
  let sandbox;
  before(async () => {
    sandbox = await startSandbox({ rateLimit: 1_000_000 });
    rows = await get(`/verify-flow?sandbox=${encodeURIComponent(sandbox.url)}&seed=${process.pid}`);
  });
  after(() => sandbox?.close());
  test("the flow ran every check", () => {
    assert.deepEqual(
      rows.map((r) => r.name),
      VERIFY_FLOW_ROWS,
    );
  });
  for (const name of VERIFY_FLOW_ROWS) {
    test(name, () => {
      const row = rows.find((r) => r.name === name);
      assert.ok(row, "row missing");
      assert.equal(row.ok, true, row.detail);
    });
  }
});

describe("workerd: the pumping guard over the Durable Object store, a service and a handler", () => {
  let rows;
  let sandbox;
  before(async () => {
    sandbox = await startSandbox({ rateLimit: 1_000_000 });
    rows = await get(`/guard-flow?sandbox=${encodeURIComponent(sandbox.url)}&seed=${process.pid}`);
  });
  after(() => sandbox?.close());
  test("the flow ran every check", () => {
    assert.deepEqual(
      rows.map((r) => r.name),
      GUARD_FLOW_ROWS,
    );
  });
  for (const name of GUARD_FLOW_ROWS) {
    test(name, () => {
      const row = rows.find((r) => r.name === name);
      assert.ok(row, "row missing");
      assert.equal(row.ok, true, row.detail);
    });
  }
});

test("workerd: guardStats reads 2 100 ranges a page (1 000) a request, each range once", async () => {
  assert.deepEqual(await get("/guard-pages"), { records: 2100, distinct: 2100, allOneSend: true, pages: 3 });
});

test("workerd: durableObjectStore rejects when the object cannot answer", async () => {
  const checks = await get("/failing");
  assert.deepEqual(Object.keys(checks), [
    "a stub that throws: reserve",
    "a stub that throws: release",
    "a 500 answer: reserve",
    "a 500 answer: release",
    "an answer that is not a reservation",
    "the real object, a bad counter (400)",
    "a stub that throws: checkCode",
    "a 500 answer: putCode",
    "an answer that is not a code state",
    "the real object, a bad code key (400)",
    "the real object, a bad guard (400)",
    "a stub that throws: guardStats",
    "an answer that is not guard stats",
  ]);
  for (const [name, { rejected, message }] of Object.entries(checks)) {
    assert.equal(rejected, true, name);
    assert.ok(message, name);
  }
  assert.match(checks["a 500 answer: reserve"].message, /answered 500: boom/);
  assert.match(checks["the real object, a bad counter (400)"].message, /answered 400/);
  assert.match(checks["the real object, a bad guard (400)"].message, /answered 400: .*bad minConversion/);
});

test("workerd: one client serves many requests (a handler made once per isolate)", async () => {
  const key = `reuse-${Date.now()}`;
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await get(`/reuse?key=${key}`));
  assert.deepEqual(
    answers.map((a) => a.ok),
    [true, true, false],
  );
  assert.equal(answers[2].key, key);
});

test("workerd: expired rows are swept, a hundred per reservation", async () => {
  const { made, afterOne, afterTwo } = await get("/sweep");
  assert.equal(made, 150);
  assert.equal(afterOne, 150 - 100 + 1, "the first reservation after expiry deleted 100 and added 1");
  assert.equal(afterTwo, 2, "the second deleted the other 50: only the two live rows are left");
});

test("workerd: the object's SQLite storage is persisted under the fixture's .wrangler/state", () => {
  // wrangler dev persists to <fixture>/.wrangler/state by default; the fixture runs from
  // build/consumer (rebuilt by scripts/consumer.sh), so nothing lands in the repo's tree.
  const dir = join(fixture, ".wrangler/state/v3/do");
  assert.ok(existsSync(dir), `${dir} exists`);
  const files = readdirSync(dir, { recursive: true }).map(String);
  assert.ok(
    files.some((f) => f.endsWith(".sqlite")),
    `a .sqlite file under ${dir}: ${files.join(", ")}`,
  );
});

describe("workerd: delivery over the Durable Object store, two handlers, the sandbox's webhooks over HTTP", () => {
  test("a send through one, the webhooks into the other, the status read through the first", async (t) => {
    const sandbox = await startSandbox({ rateLimit: 1_000_000, duplicateWindowMs: 0, ...SANDBOX_WEBHOOKS });
    const base = (instance) => `${worker.url}/delivery/${sandbox.port}/${instance}/api`;
    sandbox.setWebhook({ url: `${base("b")}/webhooks/turkeysms`, secret: HOOK_SECRET });
    try {
      const rows = await runDeliveryFlow({
        a: base("a"),
        b: base("b"),
        apiKey: "workerd-delivery",
        sandbox,
        seed: process.pid + 11,
      });
      await reportRows(t, rows, DELIVERY_FLOW_ROWS);
    } finally {
      await sandbox.close();
    }
  });
});
