#!/usr/bin/env node
// Writes BENCHMARKS.md from build/bench.json (made by bench/run.mjs). Only the history of cuts
// is prose; every current figure comes from the run.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const r = JSON.parse(readFileSync(join(root, "build", "bench.json"), "utf8"));
const budget = JSON.parse(readFileSync(join(root, "bench", "budget.json"), "utf8"));
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const goal = (ok) => (ok ? "met" : "**not met**");
const size = r.size.perRuntime;
const worst = Math.max(...Object.values(size));
const page = r.size.pageJsGz;

writeFileSync(
  join(root, "BENCHMARKS.md"),
  `# Benchmarks

\`make bench\` measures the package against \`bench/plain-client.mjs\` — a hand-written plain
JavaScript client doing the same validation, request, envelope reading, timeout and retries — in
one run, and writes this file. Machine: ${r.machine}. Sandbox on loopback, in its own process.

| axis | turkeysms-otp | plain JS | ratio | goal |
|---|---:|---:|---:|---|
| the .wasm, gzipped | ${r.size.wasmGz.toLocaleString("en")} B | | | ≤ 26,000 B: ${goal(r.size.wasmGz <= 26_000)} |
| size a runtime loads, gzipped (worst entry) | ${kb(worst)} | ${kb(r.size.plainGz)} | ${(worst / r.size.plainGz).toFixed(1)}× | ≤ 30 KB: ${goal(worst <= 30 * 1024)} |
| … the floor: the least client on this stack (\`bench/floor\`), gzipped wasm + glue | ${kb(r.size.floor.total)} | | | the floor for any client on this stack |
| a page importing \`{ sendOtp, verifyOtp, normalizeMobile }\`, JS gzipped (esbuild / Vite / webpack) | ${[page.esbuild, page.vite, page.webpack].map((b) => b.toLocaleString("en")).join(" / ")} B | | | ≤ ${(budget.pageJsGzipBytes / 1024).toLocaleString("en")} KB: ${goal(Math.max(page.esbuild, page.vite, page.webpack) <= budget.pageJsGzipBytes)} |
| sendOtp median latency | ${r.call.oursMedianUs} µs | ${r.call.plainMedianUs} µs | +${r.call.addedMedianUs} µs | ≤ +50 µs: ${goal(r.call.addedMedianUs <= 50)} |
| … the plain client handing fetch a Request object (gloo-net's \`send()\` shape, which the SDK no longer uses) | ${r.call.viaRequestMedianUs} µs | ${r.call.plainMedianUs} µs | +${r.call.requestObjectUs} µs, throughput ${r.call.viaRequestThroughputRatio} | the floor for any gloo-net client |
| sendOtp p95 latency | ${r.call.oursP95Us} µs | ${r.call.plainP95Us} µs | | |
| sendOtp throughput | | | ${r.call.throughputRatio} | ≥ 0.95: ${goal(r.call.throughputRatio >= 0.95)} |
| cold start: process that imports and calls normalizeMobile | ${r.cold.ours.processMs} ms | ${r.cold.plain.processMs} ms | ${r.cold.ratio}× | ≤ 1.2×: ${goal(r.cold.ratio <= 1.2)} |
| import, timed inside the process | ${r.cold.ours.importMs} ms | ${r.cold.plain.importMs} ms | | ≤ 5 ms: ${goal(r.cold.ours.importMs <= 5)} |
| wasm instantiation inside workerd (\`new WebAssembly.Instance\`, per instance) | ${r.workerd.instantiateMs} ms | — | | reported |
| normalizeMobile calls/s | ${r.validation.normalizeMobile.ours.toLocaleString("en")} | ${r.validation.normalizeMobile.plain.toLocaleString("en")} | ${r.validation.normalizeMobile.ratio}× | |
| validateOptions calls/s | ${r.validation.validateOptions.ours.toLocaleString("en")} | ${r.validation.validateOptions.plain.toLocaleString("en")} | ${r.validation.validateOptions.ratio}× | |

Per runtime, gzipped (entry + glue + .wasm; each file compressed on its own, as served):
${Object.entries(size)
  .map(([k, v]) => `${k} ${kb(v)}`)
  .join(" · ")}. The .wasm alone: ${r.size.wasmRaw.toLocaleString("en")} bytes raw,
${r.size.wasmGz.toLocaleString("en")} gzipped; \`make test\` fails past ${budget.wasmGzipBytes.toLocaleString("en")} gzipped bytes (\`bench/budget.json\`), and
past ${budget.pageJsGzipBytes.toLocaleString("en")} gzipped bytes of JavaScript for the page of the row above, with any of the three bundlers.

\`new WebAssembly.Module\` on the .wasm, median of 50: ${r.compileMs} ms — V8 (Node's and workerd's
engine) only validates here and compiles each function on its first call, so the real cost is
inside the import figure above (reading, compiling, instantiating and the glue). Inside workerd
(\`bench/workerd/\`, run by wrangler dev) one instantiation of the already compiled module takes
${r.workerd.instantiateMs} ms, the median of ${r.workerd.rounds} rounds of ${r.workerd.n}; workerd's clock stands still while code runs,
so each round sits between two loopback requests and an idle round is subtracted.

Where validation time goes: each call copies its strings into wasm memory (TextEncoder alone
does ${r.validation.stringCrossing.toLocaleString("en")} such copies a second), validateOptions reads eleven properties through
\`Reflect.get\` and builds its report across the boundary. The plain client does none of that.

## Where the added time per call goes

The SDK calls \`fetch(url, init)\` itself now (through typed bindings that catch whatever a fetch
does; gloo-net's \`send()\` took a \`Request\`, which fetch copies, and trapped on a rejection
that is not an \`Error\`), so the Request-object row is only the old floor, for comparison.
Each await of an attempt also races a deadline promise, so the timeout holds after a garbage
collection. The rest is the wasm boundary, spread thin. A \`sendOtp\` crosses between
wasm and JavaScript about 130 times (reading the options is 11 property reads and some 30 type
checks; the envelope and the result object are about 20 more), each crossing a few tenths of a
microsecond when it is not in a hot loop; every \`await\` in Rust makes two JavaScript closures
registered with a FinalizationRegistry (wasm-bindgen-futures' \`JsFuture\`), three per call, and
their garbage shows in the p95. Property names are made into JavaScript strings once and
reused.

## What was cut, and why

Gzipped with zlib level 9, as \`make build\` and \`make bench\` measure.

| step | .wasm raw | gzipped |
|---|---:|---:|
| first complete build (serde \`Deserialize\` for the envelope via serde-wasm-bindgen, gloo-net \`http\`, dlmalloc) | 119,264 | 53,837 |
| envelope read by hand: serde's error formatting had pulled in \`f64\` Display and the bignum float printer | 90,251 | 41,830 |
| capped streaming body read, \`Array.isArray\`/\`aborted\` guards, \`__diagnostics\` (the reliability work) | 96,814 | 44,522 |
| byte substring search instead of \`str::contains\`/\`replace\` with \`&str\` (two-way searcher), \`get()\` instead of slicing, no lossy UTF-8 | 92,096 | 42,516 |
| edge handler, \`otpCode\`, friendlier proxy errors | 92,926 | 42,802 |
| the Request built once and handed to gloo-net's \`send()\` (its builder made two more and re-parsed the URL with \`format!\`); also −34 µs per call | 88,341 | 41,027 |
| the last panicking string slice (\`&s[n..]\` in base_url) replaced by \`get()\`: its panic path kept \`char\`'s Debug and the Unicode tables | 81,429 | 37,095 |
| talc instead of dlmalloc as the global allocator (no slower: 1,521 vs 1,470 sequential calls/s after a 10,000-call burst) | 74,581 | 34,511 |
| property names cached as JavaScript strings (−16 µs per call, validateOptions 1.8× faster) | 74,889 | 34,646 |
| base_url on bytes: no char searcher, no integer parsing | 73,139 | 33,924 |
| wasm-opt \`--low-memory-unused\` (the stack is laid out first), producers and target-features sections stripped | 72,469 | 33,542 |
| start of the reliability round (same code, this toolchain) | 72,205 | 33,464 |
| the reliability round: every form of the key redacted, fetch through catching typed bindings, deadline races, trap hooks, the \`fetch\` option (gloo-net's \`send()\` no longer in the SDK) | 78,327 | 36,155 |
| defaults in one place (\`src/defaults.rs\`), options as a table of rules matched in one function | 78,067 | 36,370 |
| one-letter import names in the .wasm and the glue (\`scripts/shrink.mjs\`): wasm-bindgen's are \`__wbg_<name>_<16 hex digits>\`, incompressible | 74,283 | 34,656 |
| report objects serialized as maps, written by hand: serde-wasm-bindgen's derived-struct path keeps field names in a hash map | 72,028 | 33,335 |
| the handler's \`turnstileToken\` option | 72,360 | 33,561 |
| the reliability work of issue 11 (deadline per await, typed catching bindings, trap recovery) | 72,482 | 33,681 |
| verification: \`verifyOtp\`, \`normalizeCode\`, the code rule and its messages | 75,469 | 34,862 |
| \`error.retryAfter\` (reading \`Retry-After\` on a failed answer) | 76,600 | 35,375 |
| now | ${r.size.wasmRaw.toLocaleString("en")} | ${r.size.wasmGz.toLocaleString("en")} |

The JavaScript each runtime loads (entries, glue, handler) is minified by esbuild at build,
exported names kept: gzipped JS per runtime went from 6,446 to 4,080 B (Node / Bun), 6,640 to
4,532 (browsers), 9,342 to 6,479 (workerd) and 9,246 to 6,441 (Deno).

Measured and not adopted:

| option | raw | gzipped | why not |
|---|---:|---:|---|
| \`lol_alloc\` instead of dlmalloc | −7,900 | −3,100 | its first-fit free list made sequential calls 43% slower after a 10 000-call burst (talc, adopted, is both small and fast) |
| validateOptions/estimateSegments objects built by hand instead of serde-wasm-bindgen | −4,300 | −2,000 | kept: the crate builds these objects with serde-wasm-bindgen (\`to_js\` in src/bindings.rs) |
| \`-Zbuild-std\`, \`panic = immediate-abort\`, \`-Zlocation-detail=none -Zfmt-debug=none\` | −15,300 | −7,300 | nightly-only: works here only through \`RUSTC_BOOTSTRAP=1\` on the stable toolchain |
| stop reading the body once Content-Length bytes came (no Content-Encoding, not a \`cors\` response) | +1,400 | +700 | the sandbox, like many servers, answers chunked, so it never applied there (+74.9 vs +75.7 µs), for 700 B |
| two body reads awaited together with \`Promise.all\` (one \`await\` fewer per call) | | | no change measured (+73.6 and +72.7 µs over 6,000 calls, within the run-to-run spread) |
| talc's \`disable-realloc-in-place\` | −240 | −135 | slower growth of the body buffer for 135 bytes |
| \`opt-level = "s"\` | +7,000 | +1,800 | larger (measured again this round) |
| \`wasm-opt -Oz -Oz --converge\`, or with \`--gufa\` | −150 | −150 | noise |
| \`#[inline(never)]\` on the error, result and outcome builders | 0 | 0 | they were out of line already |
| the option rules as a table of function pointers | +500 | +600 | every rule kept out of line; an enum matched in one function is the table now |
| binaryen's \`--minify-imports\` | 0 | 0 | it renames only imports from the module \`env\`; scripts/shrink.mjs does it for wasm-bindgen's module |

Where the .wasm's bytes go (\`bench/wasm-sizes.mjs\` on the same build with function names kept;
raw bytes, before gzip):

| part | raw bytes |
|---|---:|
${r.size.breakdown.groups.map(({ group, bytes }) => `| ${group} | ${bytes.toLocaleString("en")} |`).join("\n")}
| total | ${r.size.breakdown.total.toLocaleString("en")} |

Our own code and its messages are more than half. \`core::fmt\` stays because std's panic handler
keeps it on a stable toolchain (serde-wasm-bindgen needs std, so \`no_std\` with a panic handler of
our own is not open); the messages say what to do and stay. wasm-bindgen's JavaScript glue,
minified, adds ${r.size.glueGz.esm.toLocaleString("en")} B gzipped (one ES module for every runtime).

What stands between the .wasm and 26,000 B: the same build with \`sendOtp\`/\`sendCustomOtp\` validating
but sending nothing (no transport at all) is 24,842 B gzipped (53,197 raw), measured this round.
Everything that sends — fetch, the deadline races, the body reader and its cap, retries and
backoff, the transport's error messages, redaction, the result object, and the futures executor
that drives them from Rust — costs the other 8.7 KB; within 26,000 B it would have to fit in
1.2 KB. That needs the transport out of the async Rust code: a "sans-IO" design where Rust
decides each step (send, wait, retry, give up) and a few lines of JavaScript do the fetch, the
timer and the reads, with no futures executor in the wasm. The brief puts fetch in Rust
(gloo-net); that is a decision to take, not a cut to make.

## The edge handler under load

${
  (r.handlerLoad ?? []).length
    ? `Two handler instances sharing one store (\`bench/handler-load.mjs\`, on the installed package): 1,000
requests for distinct valid numbers from 50 client IPs, interleaved with a flood of 5,000
requests for one number from the same IPs; each IP may send its 20 codes an hour (and the flood's
one). Every legitimate request must be sent, the flood exactly once.

| store | requests | p50 | p99 | requests/s | legitimate sent | flood sent | SMS at the sandbox |
|---|---:|---:|---:|---:|---:|---:|---:|
${r.handlerLoad.map((h) => `| ${h.store} | ${h.requests.toLocaleString("en")} | ${h.p50Ms} ms | ${h.p99Ms} ms | ${h.perSecond.toLocaleString("en")} | ${h.legitSent} | ${h.floodSent} | ${h.smsAtSandbox} |`).join("\n")}

The p99 is a send to the sandbox; refusals answer in well under a millisecond. The Durable Object
store is tested for the same rules in workerd (\`tests/stores/\`), not timed here: \`wrangler dev\`
runs it in one local process, which says little about Cloudflare.`
    : "Not measured in this run."
}

## Reproduce

    make bench            # BENCH_CALLS=3000 by default
`,
);
console.log("bench: wrote BENCHMARKS.md");
