#!/usr/bin/env node
// `make bench`: the package against bench/plain-client.mjs, side by side in one run, on this
// machine. Prints every figure and writes build/bench.json, from which BENCHMARKS.md is made.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { spawnSandbox } from "../sandbox/server.mjs";
import { RUNTIME_FILES } from "../scripts/runtime-files.mjs";
import { minifyJs, optimizeWasm } from "../scripts/shrink.mjs";
import { wasmSizes } from "./wasm-sizes.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const consumer = join(root, "build", "consumer");
const pkgDir = join(consumer, "node_modules", "turkeysms-otp");
const ours = await import(pathToFileURL(join(pkgDir, "node.mjs")).href);
const plain = await import(pathToFileURL(join(root, "bench", "plain-client.mjs")).href);
const results = { machine: `${cpus().length} × ${cpus()[0].model.trim()}, Node ${process.version}` };
const gzBytes = (bytes) => gzipSync(bytes, { level: 9 }).length;
const gz = (file) => gzBytes(readFileSync(file));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const say = (line) => console.log(line);

// --- Size ---------------------------------------------------------------------------------------
const wasmGz = gz(join(pkgDir, "turkeysms_otp.wasm"));
results.size = { wasmRaw: readFileSync(join(pkgDir, "turkeysms_otp.wasm")).length, wasmGz, perRuntime: {} };
// The yardstick minified the same way as the package's JavaScript, so both are compared as shipped.
results.size.plainGz = gzBytes(minifyJs(readFileSync(join(root, "bench", "plain-client.mjs"), "utf8"), "esm"));
results.size.glueGz = { esm: gz(join(pkgDir, "glue.js")) };
say(
  `size: .wasm ${results.size.wasmRaw} B raw, ${wasmGz} B gzipped; wasm-bindgen's glue ${results.size.glueGz.esm} B gzipped (one ES module for every runtime; Node's node.cjs bundles it); plain-JS client ${results.size.plainGz} B gzipped`,
);
for (const [runtime, files] of Object.entries(RUNTIME_FILES)) {
  const js = files.reduce((sum, f) => sum + gz(join(pkgDir, f)), 0);
  results.size.perRuntime[runtime] = js + wasmGz;
  say(
    `  ${runtime.padEnd(11)} loads ${js + wasmGz} B gzipped (JS ${js} + wasm ${wasmGz}) vs ${results.size.plainGz} B: ${((js + wasmGz) / results.size.plainGz).toFixed(1)}×`,
  );
}

// Where the bytes go: the same cargo output, through wasm-bindgen and wasm-opt with names kept.
const namedDir = join(root, "build", "named");
execFileSync(
  "wasm-bindgen",
  [
    "--target",
    "bundler",
    "--keep-debug",
    "--out-dir",
    namedDir,
    join(root, "target", "wasm32-unknown-unknown", "release", "turkeysms_otp.wasm"),
  ],
  { stdio: "inherit" },
);
optimizeWasm(join(namedDir, "turkeysms_otp_bg.wasm"), join(namedDir, "named.wasm"), { keepNames: true });
results.size.breakdown = wasmSizes(readFileSync(join(namedDir, "named.wasm")));
say(`  where the .wasm's ${results.size.breakdown.total} raw bytes go (a build with names kept):`);
for (const { group, bytes } of results.size.breakdown.groups) say(`    ${String(bytes).padStart(6)} B  ${group}`);

// The floor: bench/floor, the least client on this stack, built the way the package is.
const floorDir = join(root, "build", "floor");
execFileSync(
  "cargo",
  [
    "build",
    "--quiet",
    "--release",
    "--locked",
    "--target",
    "wasm32-unknown-unknown",
    "--manifest-path",
    join(root, "bench", "floor", "Cargo.toml"),
  ],
  { stdio: "inherit", env: { ...process.env, CARGO_TARGET_DIR: join(root, "target", "floor") } },
);
execFileSync(
  "wasm-bindgen",
  [
    "--target",
    "bundler",
    "--out-dir",
    floorDir,
    join(root, "target", "floor", "wasm32-unknown-unknown", "release", "turkeysms_otp_floor.wasm"),
  ],
  { stdio: "inherit" },
);
optimizeWasm(join(floorDir, "turkeysms_otp_floor_bg.wasm"), join(floorDir, "floor.wasm"));
writeFileSync(
  join(floorDir, "floor.js"),
  minifyJs(readFileSync(join(floorDir, "turkeysms_otp_floor_bg.js"), "utf8"), "esm"),
);
results.size.floor = { wasmGz: gz(join(floorDir, "floor.wasm")), glueGz: gz(join(floorDir, "floor.js")) };
results.size.floor.total = results.size.floor.wasmGz + results.size.floor.glueGz;
say(
  `  the floor (bench/floor: gloo-net POST, body read, one serde-wasm-bindgen object, nothing else): ${results.size.floor.total} B gzipped (wasm ${results.size.floor.wasmGz} + glue ${results.size.floor.glueGz})`,
);

// What a page pays in JavaScript: the page of tests/runtimes/page-size.test.mjs (its budget is
// bench/budget.json's pageJsGzipBytes), built the same way from the installed package.
const { measurePageBundles } = await import(pathToFileURL(join(consumer, "tests", "runtimes", "page-bundle.mjs")).href);
const page = await measurePageBundles(consumer);
results.size.pageJsGz = { esbuild: page.esbuild.gzipBytes, vite: page.vite.gzipBytes, webpack: page.webpack.gzipBytes };
say(
  `  a page importing { sendOtp, verifyOtp, normalizeMobile }, JS gzipped: esbuild ${results.size.pageJsGz.esbuild} B, Vite ${results.size.pageJsGz.vite} B, webpack ${results.size.pageJsGz.webpack} B`,
);

// --- Per-call overhead, interleaved against one sandbox in another process ----------------------
const sandbox = await spawnSandbox(["--rate-limit", "1000000000"]);
const sandboxUrl = sandbox.url;
const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
let n = 0;
const options = () => ({
  apiKey: "bench",
  mobile: `9053${String(n++).padStart(8, "0")}`,
  baseUrl: sandboxUrl,
  digits: 6,
});
const viaRequest = { sendOtp: plain.sendOtpViaRequest };
const clients = [ours, plain, viaRequest];
const times = new Map(clients.map((c) => [c, []]));
for (let i = 0; i < 300; i++) for (const client of clients) await client.sendOtp(options());
for (let i = 0; i < CALLS; i++) {
  // Rotate who goes first, so no client always follows the same one.
  for (let k = 0; k < clients.length; k++) {
    const client = clients[(i + k) % clients.length];
    const started = performance.now();
    const result = await client.sendOtp(options());
    times.get(client).push(performance.now() - started);
    if (result.code !== "TS-1024") throw new Error("bench call failed");
  }
}
sandbox.stop();
const [timesOurs, timesPlain, timesViaRequest] = clients.map((c) => times.get(c));
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
results.call = {
  calls: CALLS,
  oursMedianUs: +(median(timesOurs) * 1000).toFixed(1),
  plainMedianUs: +(median(timesPlain) * 1000).toFixed(1),
  viaRequestMedianUs: +(median(timesViaRequest) * 1000).toFixed(1),
  oursP95Us: +(p95(timesOurs) * 1000).toFixed(1),
  plainP95Us: +(p95(timesPlain) * 1000).toFixed(1),
  throughputRatio: +(sum(timesPlain) / sum(timesOurs)).toFixed(3),
  viaRequestThroughputRatio: +(sum(timesPlain) / sum(timesViaRequest)).toFixed(3),
};
results.call.addedMedianUs = +(results.call.oursMedianUs - results.call.plainMedianUs).toFixed(1);
results.call.requestObjectUs = +(results.call.viaRequestMedianUs - results.call.plainMedianUs).toFixed(1);
say(
  `sendOtp against the sandbox, ${CALLS} calls each, interleaved: median ${results.call.oursMedianUs} µs vs ${results.call.plainMedianUs} µs (added ${results.call.addedMedianUs} µs), p95 ${results.call.oursP95Us} vs ${results.call.plainP95Us} µs, throughput ratio ${results.call.throughputRatio}`,
);
say(
  `  the plain client handing fetch a Request object, as gloo-net does: median ${results.call.viaRequestMedianUs} µs (+${results.call.requestObjectUs} µs over plain), throughput ratio ${results.call.viaRequestThroughputRatio}`,
);

// --- Cold start: whole processes, and the import inside one ------------------------------------
function coldStart(specifier, runs = 25) {
  const script = `const t=performance.now();const m=await import(${JSON.stringify(specifier)});const i=performance.now()-t;m.normalizeMobile("0532 123 45 67");console.log(i)`;
  const walls = [];
  const imports = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: consumer, encoding: "utf8" });
    walls.push(performance.now() - started);
    imports.push(Number(out.stdout.trim()));
  }
  return { processMs: +median(walls).toFixed(1), importMs: +median(imports).toFixed(2) };
}
const coldOurs = coldStart("turkeysms-otp");
const coldPlain = coldStart(pathToFileURL(join(root, "bench", "plain-client.mjs")).href);
results.cold = { ours: coldOurs, plain: coldPlain, ratio: +(coldOurs.processMs / coldPlain.processMs).toFixed(2) };
say(
  `cold start (process that imports and calls normalizeMobile once, median of 25): ${coldOurs.processMs} ms vs ${coldPlain.processMs} ms = ${results.cold.ratio}×; import alone ${coldOurs.importMs} ms vs ${coldPlain.importMs} ms`,
);

// --- wasm instantiation: in Node, and inside workerd itself ---------------------------------
const bytes = readFileSync(join(pkgDir, "turkeysms_otp.wasm"));
const compile = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  new WebAssembly.Module(bytes);
  compile.push(performance.now() - t);
}
results.compileMs = +median(compile).toFixed(2);
say(
  `new WebAssembly.Module (V8 validates now, compiles each function on its first call), median of 50: ${results.compileMs} ms`,
);

// workerd's clock moves only across I/O, so bench/workerd brackets its work with requests to a
// loopback server and subtracts an idle bracket; wrangler dev runs it.
process.env.PATH = `${join(root, "node_modules", ".bin")}:${process.env.PATH}`;
const { wranglerDev } = await import(pathToFileURL(join(consumer, "tests", "runtimes", "processes.mjs")).href);
const tick = createServer((_, response) => response.end("tick"));
await new Promise((resolve) => tick.listen(0, "127.0.0.1", resolve));
const worker = await wranglerDev(join(consumer, "bench", "workerd"), {
  TICK_URL: `http://127.0.0.1:${tick.address().port}/`,
});
try {
  const answer = await (await fetch(`${worker.url}/?n=500`)).json();
  if (answer.mobile !== "905321234567") throw new Error("bench worker: the package stopped working");
  results.workerd = { instantiateMs: answer.instantiateMs, rounds: answer.rounds.length, n: answer.n };
} finally {
  await worker.stop();
  tick.close();
}
say(
  `workerd: new WebAssembly.Instance of the compiled module, median of ${results.workerd.rounds} rounds of ${results.workerd.n}: ${results.workerd.instantiateMs} ms`,
);

// --- Validation throughput ----------------------------------------------------------------------
function rate(fn, ms = 400) {
  let count = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) fn();
    count += 200;
  }
  return Math.round((count / ms) * 1000);
}
const form = {
  apiKey: "k",
  mobile: "0532 123 45 67",
  lang: "tr",
  digits: 6,
  title: "MyApp",
  text: "MyApp code: TS-CODE",
};
const encoder = new TextEncoder();
const buffer = new Uint8Array(64);
results.validation = {
  normalizeMobile: {
    ours: rate(() => ours.normalizeMobile("0532 123 45 67")),
    plain: rate(() => plain.normalizeMobile("0532 123 45 67")),
  },
  validateOptions: {
    ours: rate(() => ours.validateOptions(form, "custom")),
    plain: rate(() => plain.validateOptions(form, "custom")),
  },
  stringCrossing: rate(() => encoder.encodeInto("0532 123 45 67", buffer)),
};
for (const name of ["normalizeMobile", "validateOptions"]) {
  const r = results.validation[name];
  r.ratio = +(r.ours / r.plain).toFixed(2);
  say(`${name}: ${r.ours.toLocaleString("en")}/s vs ${r.plain.toLocaleString("en")}/s = ${r.ratio}×`);
}
say(
  `  where the time goes: encoding the string into wasm memory alone runs ${results.validation.stringCrossing.toLocaleString("en")}/s; validateOptions also reads 11 properties through Reflect and builds its report object across the boundary`,
);

// --- The edge handler under load, on memory and on a real Redis ----------------------------------
const { handlerLoad } = await import(pathToFileURL(join(consumer, "bench", "handler-load.mjs")).href);
results.handlerLoad = await handlerLoad();

mkdirSync(join(root, "build"), { recursive: true });
writeFileSync(join(root, "build", "bench.json"), JSON.stringify(results, null, 2));
execFileSync(process.execPath, [join(root, "bench", "report.mjs")], { stdio: "inherit" });
