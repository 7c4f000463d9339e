#!/usr/bin/env node
// Writes docs/RELIABILITY.md from the results the tests left in build/reliability/ (the fault
// matrix per runtime, the fuzzers, the load run). `--check` only compares the fault table with
// the committed document and fails when they differ: make test runs that, make fuzz writes.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TIMEOUT_MS } from "../tests/runtimes/fixtures/faults.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = join(root, "build", "reliability");
const doc = join(root, "docs", "RELIABILITY.md");
const RUNTIMES = ["node", "deno", "bun", "workerd", "chromium"];
const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;
const read = (name) => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), "utf8")) : null);

function faultTable() {
  const byRuntime = Object.fromEntries(RUNTIMES.map((r) => [r, read(`faults-${r}.json`)]));
  const missing = RUNTIMES.filter((r) => !byRuntime[r]);
  if (missing.length) throw new Error(`no fault results for ${missing.join(", ")}: run the runtime tests first`);
  const lines = [
    "| fault | maxRetries | outcome | retryable | attempts | requests that reached the server | next call | " +
      RUNTIMES.join(" | ") +
      " |",
    `|---|---|---|---|---|---|---|${RUNTIMES.map(() => "---").join("|")}|`,
  ];
  for (const [i, row] of byRuntime.node.entries()) {
    const same = RUNTIMES.every((r) => {
      const other = byRuntime[r][i];
      return (
        other.fault === row.fault &&
        other.outcome === row.outcome &&
        other.attempts === row.attempts &&
        other.requests === row.requests &&
        other.nextCall === row.nextCall &&
        other.leaked === false
      );
    });
    if (!same) throw new Error(`runtimes disagree on ${row.fault}`);
    const cells = RUNTIMES.map(() => "✓");
    lines.push(
      `| ${row.fault} | ${row.maxRetries} | ${row.outcome} | ${row.retryable ?? "–"} | ${row.attempts ?? "–"} | ${row.requests} | ${row.nextCall} | ${cells.join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

function timingTable() {
  const lines = [`| fault | ${RUNTIMES.join(" | ")} |`, `|---|${RUNTIMES.map(() => "---:").join("|")}|`];
  const node = read("faults-node.json");
  for (const [i, row] of node.entries())
    lines.push(`| ${row.fault} | ${RUNTIMES.map((r) => `${read(`faults-${r}.json`)[i].elapsedMs} ms`).join(" | ")} |`);
  return lines.join("\n");
}

const FAULTS_START = "<!-- faults:start -->";
const FAULTS_END = "<!-- faults:end -->";

if (process.argv.includes("--check")) {
  const committed = existsSync(doc) ? readFileSync(doc, "utf8") : "";
  const section = committed
    .slice(committed.indexOf(FAULTS_START) + FAULTS_START.length, committed.indexOf(FAULTS_END))
    .trim();
  if (section !== faultTable()) {
    console.error(
      "docs/RELIABILITY.md's fault table differs from this run's results: run `make fuzz` and commit docs/RELIABILITY.md.",
    );
    process.exit(1);
  }
  console.log("reliability: docs/RELIABILITY.md's fault table matches this run (5 runtimes).");
  process.exit(0);
}

/** The "Chaos run" section, from chaos.json (tests/chaos/chaos.test.mjs), when there is one. */
function chaosSection(chaos) {
  if (!chaos) return "";
  // after() writes the figures even when the test failed part-way: no table from those.
  if (chaos.memory?.length !== 3 || !chaos.byFault || !chaos.catchLeaks || chaos.jsHeapBytesPerCall === undefined)
    return "\n## Chaos run\n\nThe last chaos run (`build/reliability/chaos.json`) did not finish: run `make fuzz`.\n";
  const n = (x) => x.toLocaleString("en");
  const ms = (x) => `${n(x)} ms`;
  const points = [
    ["warm (after the warm-up)", chaos.warm, null],
    ...chaos.memory.map((p, i) => [`${["10%", "50%", "100%"][i]} of the calls`, p, p.catchLeakAllowance]),
  ];
  const held = chaos.memory.map((p) => p.liveHandles - chaos.warm.liveHandles);
  const exact = chaos.memory.every((p, i) => held[i] === p.catchLeakAllowance);
  const outcomes = (codes) =>
    Object.entries(codes)
      .map(([code, count]) => `${code} × ${n(count)}`)
      .join(", ");
  return `
## Chaos run

\`tests/chaos/chaos.test.mjs\` under Node ${chaos.node}: ${n(chaos.calls)} \`sendOtp\` calls, ${chaos.concurrency} at a time,
against the sandbox in a process of its own, with ${chaos.forcedGcs} forced garbage collections at
random moments, in ${chaos.wallSeconds} s (${chaos.callsPerSecond} calls/s). Seed ${chaos.seed}: \`CHAOS_SEED=${chaos.seed} CHAOS_CALLS=${chaos.calls}\`
replays the same draws. Each call draws a healthy send, a sandbox fault queued for its own key,
or a \`fetch\` option that rejects or throws with a non-Error, resolves with a non-Response, never
settles, or returns a Response whose body errors mid-read; maxRetries 0–2, timeoutMs 300–800.
Each must settle with the code its fault implies, as an \`OtpError\`, within timeoutMs ×
(maxRetries + 1) + the longest total backoff + ${n(chaos.slackMs)} ms. Calls that did not settle:
${chaos.unsettled}; wrong outcomes: ${chaos.wrong}; traps (\`INTERNAL_ERROR\`): ${chaos.codes.INTERNAL_ERROR ?? 0}; uncaught exceptions and
unhandled rejections: ${chaos.escaped}. The latest call ended ${ms(chaos.maxLateMs)} past its strict bound (of the ${ms(chaos.slackMs)}
allowed). Outcomes: ${outcomes(chaos.codes)}.

| fault | calls | outcomes | longest | its bound | least headroom |
|---|---:|---|---:|---:|---:|
${Object.entries(chaos.byFault)
  .map(
    ([fault, f]) =>
      `| ${fault} | ${n(f.calls)} | ${outcomes(f.codes)} | ${ms(f.maxElapsedMs)} | ${ms(f.boundAtMaxMs)} | ${ms(f.minHeadroomMs)} |`,
  )
  .join("\n")}

Memory after a forced collection, with no call in flight:

| point | wasm memory | live handles | of which a caught exception's slot, at most | JS heap |
|---|---:|---:|---:|---:|
${points.map(([label, p, allowance]) => `| ${label} | ${mib(p.wasmMemoryBytes)} | ${p.liveHandles} | ${allowance ?? "–"} | ${mib(p.jsHeapBytes)} |`).join("\n")}

${
  Object.values(chaos.catchLeaks).some(Boolean)
    ? `A JavaScript exception the wasm catches through a wasm-bindgen \`catch\` import that returns a
value leaves one externref slot allocated (the import's shim takes the exception before it
converts the return value, so that slot is never freed; the thrown value itself is released).
Measured per kind before the run, slots left by one call: ${Object.entries(chaos.catchLeaks)
        .map(([kind, slots]) => `${kind} ${slots}`)
        .join(", ")}. The test
counts those exceptions per call; the live handles above the warm level were ${exact ? "exactly" : "at most"} that count (${held.join(", ")}).`
    : `No kind of caught exception (${Object.keys(chaos.catchLeaks).join(", ")}) left a slot allocated: live handles came back to the warm level.`
}
The JS heap grew by ${n(chaos.jsHeapBytesPerCall)} bytes a call from the 10% point to the end (measured, not checked).
`;
}

/** The "Node 20's abort" section, from node20.json (scripts/node20-abort.mjs), when there is one. */
function node20Section(byBuild) {
  if (!byBuild) return "";
  const current = byBuild.current;
  const before = Object.entries(byBuild)
    .filter(([key]) => key !== "current")
    .map(([, b]) => b);
  const builds = [...(current ? [current] : []), ...before];
  const rows = builds.flatMap((b) => [...b.versions, ...(b.control ?? [])].map((v) => [b, v]));
  const all = rows.map(([, v]) => v);
  const messages = [...new Set(all.flatMap((v) => v.messages))];
  const frames = (all.find((v) => v.frames?.some(Boolean))?.frames ?? [])
    .filter(Boolean)
    .map((f) => f.replace(/\(.*$/, ""));
  const node20 = (list) => list.filter((v) => v.node.startsWith("v20."));
  const sum = (list, field) => list.reduce((total, v) => total + v[field], 0);
  const now = current ? node20(current.versions) : [];
  const then = node20(before.flatMap((b) => b.versions));
  let verdict = "";
  if (now.length && sum(now, "aborted") === 0 && sum(then, "aborted") > 0) {
    const rate = sum(then, "aborted") / sum(then, "runs");
    const chance = (1 - rate) ** sum(now, "runs");
    verdict = `With this build Node 20 passed all ${sum(now, "runs")} runs, where the build before it aborted in ${sum(then, "aborted")} of ${sum(then, "runs")} on the same machine (at that rate, ${sum(now, "runs")} clean runs in a row would happen by chance ${(100 * chance).toFixed(2)}% of the time). A fatal error in V8's deoptimizer is V8's bug whatever the JavaScript does, and Node 20 is out of support, so its V8 will not be fixed; but what set it off was in the old transport's work on each call, and this build no longer does it.`;
  } else if (now.length) {
    verdict = `With this build Node 20 aborted in ${sum(now, "aborted")} of ${sum(now, "runs")} runs.`;
  }
  return `
## Node 20's abort

The load test's 10 000 concurrent calls (then 1 000 sequential) with V8's default flags (no
\`--max-semi-space-size\`), one run at a time, by \`scripts/node20-abort.mjs\`${current?.systemNodeIsNpmNode20 ? " (the system node and npm's Node 20 are the same binary)" : ""}:

| build | client | Node | runs | aborted | passed | failed |
|---|---|---|---:|---:|---:|---:|
${rows.map(([b, v]) => `| ${b.label} | ${v.client ?? "the package"} | ${v.node} (${v.label.replace(/ \(.*\)$/, "")}) | ${v.runs} | ${v.aborted} | ${v.passed} | ${v.failed} |`).join("\n")}
${messages.length ? `\nV8's report when it aborted: "${messages.join('", "')}"${frames.length ? `, in ${frames.map((f) => `\`${f}\``).join(" ← ")}` : ""}.\n` : ""}
${verdict}
`;
}

const load = read("load.json");
const fuzzJs = read("fuzz-js.json");
const fuzzRust = read("fuzz-rust.json");
if (!load || !fuzzJs || !fuzzRust) throw new Error("missing load or fuzz results: run make fuzz");

const snap = (s) => `${mib(s.wasmMemoryBytes)} wasm, ${s.liveHandles} live handles, ${mib(s.jsHeapBytes)} JS heap`;

writeFileSync(
  doc,
  `# Reliability

What the SDK does when TurkeySMS or the network misbehaves, under hostile input, and under load.
Written by \`make fuzz\` (\`scripts/reliability-report.mjs\`) from the results the tests leave in
\`build/reliability/\`; nothing here is typed by hand. \`make test\` runs the fault matrix again
in every runtime and fails when its outcomes differ from the table below.

## Faults

Each fault comes from the sandbox (\`sandbox/server.mjs\`, reachable as the key
\`sandbox-<fault>\` or queued with \`POST /sandbox/faults\`), with \`timeoutMs: ${TIMEOUT_MS}\`. The same
scenarios (\`tests/runtimes/fixtures/faults.js\`) run in Node, Deno, Bun, workerd (\`wrangler dev\`)
and Chromium; every runtime must give the same outcome (✓), the total time must stay within
(maxRetries + 1) × timeoutMs + the backoff ceiling + 1.5 s, no error text (\`message\`,
\`String(e)\`, \`stack\`, \`JSON.stringify\`) may contain the API key, and the next normal call
must be delivered.

${FAULTS_START}
${faultTable()}
${FAULTS_END}

Time taken, per runtime (workerd and Chromium run the scenarios one by one, the others at once):

${timingTable()}

A response body is read in chunks and cut at 1 MiB: the 10 MB body costs no wasm memory
(checked in Node: five in a row leave linear memory and live handles unchanged).

## Hostile input

- Rust (\`tests/fuzz_props.rs\`, proptest, release build): ${fuzzRust.casesPerProperty.toLocaleString("en")} cases for each of
  ${fuzzRust.properties} properties — mobile normalisation, title/text/segments, base URL, every option
  together, the envelope reader with the retry decision, and a key echoed by the server — in
  ${fuzzRust.seconds} s. No panic; normalising is idempotent; a joined URL never carries \`?\`, \`#\` or
  spaces, nor \`@\` in its host part; an echoed key never reaches an error. (Its first
  million-case run found a host label of \`-\` accepted; fixed.)
- JavaScript (\`tests/js/fuzz.test.mjs\`, fast-check, the installed package in Node):
  ${fuzzJs.runsPerProperty.toLocaleString("en")} runs for each of ${fuzzJs.properties} properties, over \`fc.anything()\` and ${fuzzJs.hostileKinds} kinds of hostile
  value (throwing and revoked Proxies, throwing getters, null and hostile prototypes, signals
  that throw, symbols, bigints, lone surrogates, 100 000-character strings, numbers at the
  edges), as options and as each field of an options object. Every call returned or failed with
  an \`OtpError\`; no wasm trap, no raw \`TypeError\`; the instance kept working.
  ${fuzzJs.blockedRequests} generated calls were valid and aimed at TurkeySMS's own URL: the test answers
  those itself, so nothing left the machine.

## Load

One Node ${load.node} process against the sandbox in another, on loopback. Each call settles
with its own expected outcome (deliveries, every 10th refused by the server with TS-1031, every
25th refused locally with INVALID_MOBILE).

| run | calls | seconds | calls/s | after |
|---|---:|---:|---:|---|
| before | – | – | – | ${snap(load.beforeConcurrent)} |
| concurrent | ${load.concurrent.toLocaleString("en")} | ${load.concurrentSeconds} | ${load.concurrentCallsPerSecond} | ${snap(load.afterConcurrent)} |
| sequential | ${load.sequential.toLocaleString("en")} | ${load.sequentialSeconds} | ${load.sequentialCallsPerSecond} | ${snap(load.afterSequential)} |

Node ${load.node} runs this with default flags. Node 20's V8 used to abort in its deoptimizer
during the 10 000 concurrent calls with the old transport; see "Node 20's abort" below.

Wasm memory during the sequential run, at each fifth: ${load.sequentialMemoryCheckpoints.map(mib).join(" → ")}.
The test fails if the sequential run needs a single new page of wasm memory, or if any
JavaScript value stays held by the wasm after either run. The live handles counted before the
runs are the wasm's own: the global object, the shared abort reason and request headers, and the
property names (\`apiKey\`, \`mobile\`, \`done\`, …) it makes into JavaScript strings once and
reuses; a warm-up call down each path (delivery, server refusal, local refusal) makes them first.
${chaosSection(read("chaos.json"))}${node20Section(read("node20.json"))}
## Secrets

The API key never appears in an error's \`message\`, \`String(e)\`, \`stack\` or
\`JSON.stringify\` — checked for every fault above in every runtime, for every documented
server code and local failure in \`tests/js/contract.test.mjs\`, and for server text that echoes
the key in \`tests/fuzz_props.rs\` (it is replaced by \`[redacted]\`). Keys travel only in the JSON
body, never in a URL; the sandbox shows them only as SHA-256. The SDK writes no logs.
`,
);
console.log("reliability: wrote docs/RELIABILITY.md");
