#!/usr/bin/env node
// Is Node 20's abort under 10 000 concurrent calls ours? Runs the load test
// (tests/js/load.test.mjs, LOAD_CONCURRENT=10000 LOAD_SEQUENTIAL=1000, default V8 flags: no
// --max-semi-space-size) RUNS times under each Node — the system node, and Node 20, 22 and 24
// from npm (scripts/node-versions.sh) — and, as a control, the same burst through the plain-JS
// client (bench/plain-client.mjs) under Node 20. Counts the runs V8 aborted, keeps its message,
// and writes build/reliability/node20.json (docs/RELIABILITY.md's "Node 20's abort").
//   node scripts/node20-abort.mjs [--runs 8] [--control-runs 4] [--versions system,20,22,24]
//     [--tree DIR --as before --label TEXT]
// --tree runs the load test of another checkout that has its own build/consumer (a build from
// before a change, say), and --as files the counts under that key of node20.json (default
// "current"), next to those already there.
// Runs one at a time, each in a process group of its own that is killed when it ends (an aborted
// test leaves its sandbox child behind otherwise). The load test runs in a copy of build/consumer
// (scripts/consumer.sh makes it) under build/node20-abort/, so its load.json stays out of
// build/reliability/ and a new consumer.sh mid-way changes nothing.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const option = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const tree = option("--tree", root);
const consumer = join(tree, "build", "consumer");
const copy = join(root, "build", "node20-abort", "consumer");
let packageDigest = "unknown";
const CONCURRENT = 10_000;
const SEQUENTIAL = 1_000;
const RUN_TIMEOUT_MS = 240_000;

if (process.argv.includes("--plain-burst")) {
  // The control, in the child: the load test's concurrent and sequential calls, through the
  // plain-JS client instead of the package.
  const { sendOtp } = await import(pathToFileURL(join(root, "bench", "plain-client.mjs")).href);
  const { spawnSandbox } = await import(pathToFileURL(join(root, "sandbox", "server.mjs")).href);
  const sandbox = await spawnSandbox(["--rate-limit", "1000000000"]);
  const call = (i) => {
    const mobile = `9053${String(i).padStart(8, "0")}`;
    if (i % 25 === 0) return [sendOtp({ apiKey: "load", mobile: "12", baseUrl: sandbox.url }), "INVALID_MOBILE"];
    if (i % 10 === 0) return [sendOtp({ apiKey: "sandbox-invalid-key", mobile, baseUrl: sandbox.url }), "TS-1031"];
    return [sendOtp({ apiKey: `load-${i % 7}`, mobile, baseUrl: sandbox.url, digits: 4 + (i % 3) }), "TS-1024"];
  };
  const outcome = ([promise, expected]) =>
    promise
      .then(
        (r) => r.code,
        (e) => e.code,
      )
      .then((got) => got === expected);
  for (const i of [1, 99_999_990, 99_999_975]) await outcome(call(i));
  const wrong = (await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => outcome(call(i + 2))))).filter(
    (ok) => !ok,
  ).length;
  for (let i = 0; i < SEQUENTIAL; i++) if (!(await outcome(call(CONCURRENT + 10 + i)))) process.exitCode = 1;
  sandbox.stop();
  console.log(`plain burst: ${CONCURRENT} concurrent, ${SEQUENTIAL} sequential, ${wrong} wrong`);
  if (wrong) process.exitCode = 1;
} else {
  await main();
}

/** One run in a process group of its own: { status, signal, seconds, output }. */
function runOnce(command, args, cwd, env) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let fatal;
    // After V8's report the test runner would wait on the dead child's sandbox (it holds the
    // runner's stderr open): give the report 3 s to be written, then end the group.
    const take = (d) => {
      output += d;
      if (!fatal && /Fatal error/.test(output)) fatal = setTimeout(() => killGroup(child.pid), 3000);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const timer = setTimeout(() => killGroup(child.pid), RUN_TIMEOUT_MS);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      clearTimeout(fatal);
      killGroup(child.pid); // whatever it left running (the sandbox of an aborted test)
      resolve({ status, signal, seconds: +((performance.now() - started) / 1000).toFixed(1), output });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {}
}

/** V8's fatal-error report, if the run has one: its first lines, and whether it names the frame. */
function abortOf(output) {
  const lines = output.split("\n");
  const at = lines.findIndex((line) => /Fatal error|unreachable code|Check failed/.test(line));
  if (at < 0) return null;
  const message = lines
    .slice(at, at + 4)
    .map((line) => line.replace(/^[#\s]+/, "").trim())
    .filter(Boolean)
    .join(" / ");
  // The native frames V8 printed, without addresses: "v8::internal::Deoptimizer::…".
  const stack = output.indexOf("Native stack trace");
  const frames =
    stack < 0
      ? []
      : [...output.slice(stack).matchAll(/^\s*\d+: 0x[0-9a-f]+ (.+)$/gm)]
          .map((m) => m[1].replace(/ \[.*$/, "").trim())
          .filter(Boolean)
          .slice(0, 10);
  return { message, frames, deoptimizerFrame: /Deoptimizer::DoComputeBuiltinContinuation/.test(output) };
}

async function series(label, node, args, cwd, env, runs, client = "the package") {
  const row = {
    label,
    client,
    package: packageDigest,
    node: execFileSync(node, ["--version"], { encoding: "utf8" }).trim(),
    binary: node,
    runs,
    passed: 0,
    aborted: 0,
    failed: 0,
    messages: [],
    deoptimizerFrame: false,
    frames: [],
    seconds: [],
  };
  for (let run = 1; run <= runs; run++) {
    const result = await runOnce(node, args, cwd, env);
    const abort = abortOf(result.output);
    const verdict =
      abort || ["SIGTRAP", "SIGILL", "SIGABRT", "SIGSEGV"].includes(result.signal)
        ? "aborted"
        : result.status === 0
          ? "passed"
          : "failed";
    row[verdict] += 1;
    row.seconds.push(result.seconds);
    if (abort && !row.messages.includes(abort.message)) row.messages.push(abort.message);
    if (abort?.deoptimizerFrame) row.deoptimizerFrame = true;
    if (abort && !row.frames.length) {
      row.frames = abort.frames;
      const log = join(root, "build", "node20-abort", `abort-${row.node}-${label.replace(/\W+/g, "-")}-run${run}.log`);
      writeFileSync(log, result.output);
      row.firstAbortLog = log;
    }
    console.log(
      `node20-abort: ${label}, ${client}, run ${run}/${runs}: ${verdict} in ${result.seconds} s${result.signal ? ` (${result.signal})` : ""}${abort ? `: ${abort.message}` : ""}`,
    );
    if (verdict === "failed") console.log(result.output.split("\n").slice(-25).join("\n"));
  }
  return row;
}

async function main() {
  if (!existsSync(join(consumer, "node_modules", "turkeysms-otp")))
    throw new Error("no build/consumer: run scripts/consumer.sh first");
  rmSync(copy, { recursive: true, force: true });
  cpSync(consumer, copy, { recursive: true });
  const runs = Number(option("--runs", 8));
  const controlRuns = Number(option("--control-runs", 4));
  const versions = option("--versions", "system,20,22,24").split(",").filter(Boolean);
  const key = option("--as", "current");
  const nodes = Object.fromEntries(
    execFileSync(join(root, "scripts", "node-versions.sh"), ["20", "22", "24"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((line) => line.split(" ")),
  );
  const system = execFileSync("sh", ["-c", "command -v node"], { encoding: "utf8" }).trim();
  const same = readFileSync(system).equals(readFileSync(nodes["20"]));
  const loadArgs = ["--expose-gc", "--test", "--test-reporter=spec", "tests/js/load.test.mjs"];
  const loadEnv = { LOAD_CONCURRENT: String(CONCURRENT), LOAD_SEQUENTIAL: String(SEQUENTIAL), NODE_OPTIONS: "" };
  // Which build the rows ran: the copy's .wasm and Node entry (rows of other runs keep theirs).
  const installed = join(copy, "node_modules", "turkeysms-otp");
  const digest = createHash("sha256");
  for (const file of ["turkeysms_otp.wasm", "node.cjs"]) digest.update(readFileSync(join(installed, file)));
  packageDigest = `sha256 of turkeysms_otp.wasm + node.cjs: ${digest.digest("hex").slice(0, 16)}`;
  const results = {
    label: option("--label", tree === root ? "this build" : tree),
    date: new Date().toISOString(),
    load: `LOAD_CONCURRENT=${CONCURRENT} LOAD_SEQUENTIAL=${SEQUENTIAL} node --expose-gc --test tests/js/load.test.mjs, no --max-semi-space-size`,
    systemNodeIsNpmNode20: same,
    versions: [],
    control: [],
  };
  for (const version of versions) {
    const [label, node] =
      version === "system" ? [`system node (${system})`, system] : [`Node ${version} from npm`, nodes[version]];
    results.versions.push(await series(label, node, loadArgs, copy, loadEnv, runs));
  }
  const controlArgs = [fileURLToPath(import.meta.url), "--plain-burst"];
  if (controlRuns > 0)
    results.control.push(
      await series(
        "Node 20 from npm",
        nodes["20"],
        controlArgs,
        root,
        { NODE_OPTIONS: "" },
        controlRuns,
        "plain-JS client (bench/plain-client.mjs)",
      ),
    );
  const out = join(root, "build", "reliability", "node20.json");
  mkdirSync(join(root, "build", "reliability"), { recursive: true });
  // A later run of some series replaces those, and keeps the others of the same key.
  const all = existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : {};
  const merge = (old = [], now) => [...old.filter((row) => !now.some((n) => n.label === row.label)), ...now];
  const kept = all[key] ?? {};
  all[key] = {
    ...results,
    versions: merge(kept.versions, results.versions),
    control: merge(kept.control, results.control),
  };
  writeFileSync(out, `${JSON.stringify(all, null, 2)}\n`);
  for (const row of [...all[key].versions, ...all[key].control])
    console.log(
      `node20-abort: ${key}: ${row.label}, ${row.client}, ${row.node}: ${row.aborted} aborted, ${row.passed} passed, ${row.failed} failed of ${row.runs}`,
    );
}
