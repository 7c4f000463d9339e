#!/usr/bin/env node
// `make fuzz`: the long runs, then docs/RELIABILITY.md from their results.
//   Rust proptest, 1 000 000 cases per property (release); fast-check, 100 000 runs per property;
//   load, 10 000 concurrent then 100 000 sequential calls; the fault matrix in every runtime;
//   chaos, 10 000 calls with random faults, hostile fetch options and forced GCs, under Node 22.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cases = Number(process.env.FUZZ_CASES ?? 1_000_000);

function step(label, command, args, env = {}, cwd = root) {
  console.log(`\nfuzz: ${label}`);
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  process.stdout.write(result.stdout);
  if (result.status !== 0) {
    console.error(`fuzz: ${label} failed`);
    process.exit(1);
  }
  return { output: result.stdout, seconds: +((performance.now() - started) / 1000).toFixed(1) };
}

const rust = step(
  `Rust proptest, ${cases} cases per property`,
  "cargo",
  ["test", "--release", "--test", "fuzz_props"],
  { FUZZ_CASES: String(cases) },
);
const properties = Number(/test result: ok\. (\d+) passed/.exec(rust.output)?.[1] ?? 0);
if (properties === 0) throw new Error("the Rust fuzz target ran no property");
mkdirSync(join(root, "build", "reliability"), { recursive: true });
writeFileSync(
  join(root, "build", "reliability", "fuzz-rust.json"),
  JSON.stringify({ casesPerProperty: cases, properties, seconds: rust.seconds }),
);

step("fast-check, 100 000 runs per property", "scripts/test-js.sh", ["tests/js/fuzz.test.mjs"], {
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? "100000",
});
// Default flags: Node 20's deoptimizer abort under this burst no longer happens with this
// transport (docs/RELIABILITY.md, "Node 20's abort").
step("load: 10 000 concurrent, then 100 000 sequential", "scripts/test-js.sh", ["tests/js/load.test.mjs"], {
  LOAD_CONCURRENT: "10000",
  LOAD_SEQUENTIAL: "100000",
});
step("the fault matrix in Node, Deno, Bun, workerd and Chromium", "scripts/test-js.sh", [
  "tests/runtimes/faults.test.mjs",
]);
// Node 22 from npm's `node` package, in build/runtimes/ (scripts/node-versions.sh), whatever the
// system node is; the test file runs inside build/consumer like the other suites.
const runtimes = step("Node 22 from npm (scripts/node-versions.sh)", "scripts/node-versions.sh", ["22"]);
const node22 = /^22 (.+)$/m.exec(runtimes.output)?.[1];
if (!node22) throw new Error("scripts/node-versions.sh printed no Node 22");
step(
  "chaos: 10 000 calls, random faults, hostile fetch options, forced GCs (Node 22)",
  node22,
  ["--expose-gc", "--test", "--test-reporter=spec", "tests/chaos/chaos.test.mjs"],
  { CHAOS_CALLS: process.env.CHAOS_CALLS ?? "10000" },
  join(root, "build", "consumer"),
);
step("docs/RELIABILITY.md", "node", ["scripts/reliability-report.mjs"]);
