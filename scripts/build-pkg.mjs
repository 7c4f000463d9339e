#!/usr/bin/env node
// Assembles the publishable npm package in pkg/ (see contract.md, "Where things are").
//
// wasm-pack builds one JavaScript target per run, so this script runs it twice: `nodejs` for the
// CommonJS glue Node's require() needs, and `bundler` for the ES-module glue
// (turkeysms_otp_bg.js) that every other entry shares. It keeps the (identical) .wasm once,
// optimises it with npm's wasm-opt (Debian's breaks the module), and adds pkg-template/ (the
// manifest, types, and one small entry per runtime) and the sandbox, minifies the JavaScript
// runtimes load, and prints the sizes.

import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { RUNTIME_FILES } from "./runtime-files.mjs";
import { minifyJs, optimizeWasm } from "./shrink.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const build = join(root, "build");
const pkg = join(root, "pkg");
const WASM = "turkeysms_otp.wasm";

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}

function wasmPack(target) {
  const out = join(build, target);
  rmSync(out, { recursive: true, force: true });
  run("wasm-pack", ["--quiet", "build", "--release", "--target", target, "--out-dir", out, "--no-typescript", "--no-pack", "--mode", "no-install"]);
  return out;
}

function glue(dir, edit) {
  const file = join(dir, "turkeysms_otp.js");
  const text = readFileSync(file, "utf8");
  const edited = edit(text);
  if (edited === text) throw new Error(`could not point ${file} at ${WASM}: wasm-bindgen's output changed`);
  return edited;
}

const nodejs = wasmPack("nodejs");
const bundler = wasmPack("bundler");
const raw = readFileSync(join(bundler, "turkeysms_otp_bg.wasm"));
if (!raw.equals(readFileSync(join(nodejs, "turkeysms_otp_bg.wasm")))) throw new Error("wasm-pack built different .wasm files per target");

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
optimizeWasm(join(bundler, "turkeysms_otp_bg.wasm"), join(pkg, WASM));

writeFileSync(join(pkg, "glue-node.cjs"), glue(nodejs, (t) => t.replace("/turkeysms_otp_bg.wasm`", `/${WASM}\``)));
// The .wasm imports its JavaScript functions from the module "./turkeysms_otp_bg.js", so the
// ES-module glue keeps that name.
cpSync(join(bundler, "turkeysms_otp_bg.js"), join(pkg, "turkeysms_otp_bg.js"));
cpSync(join(root, "pkg-template"), pkg, { recursive: true });
cpSync(join(pkg, "index.d.ts"), join(pkg, "index.d.cts"));
// handler.js has no imports: its CommonJS twin for require() is the same text with exports.
const handler = readFileSync(join(pkg, "handler.js"), "utf8");
const exported = [...handler.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
writeFileSync(join(pkg, "handler.cjs"), '"use strict";\n' + handler.replace(/^export function /gm, "function ") + `\nmodule.exports = { ${exported.join(", ")} };\n`);
cpSync(join(root, "sandbox", "server.mjs"), join(pkg, "sandbox.mjs"));
// The npm README is the user-facing part of the repository's README: one text, two readers.
const readme = readFileSync(join(root, "README.md"), "utf8");
const usage = /<!-- npm:start -->\n([\s\S]*?)<!-- npm:end -->/.exec(readme);
if (!usage) throw new Error("README.md lost its <!-- npm:start --> / <!-- npm:end --> markers");
const intro = readme.split("\n```sh")[0];
writeFileSync(join(pkg, "README.md"), intro.trimEnd() + "\n\n" + usage[1]);

// Every file a runtime loads is minified: 2 to 3 KB less gzipped per runtime. The readable
// sources are pkg-template/ and wasm-bindgen's output in build/. The sandbox is a command, not
// loaded by runtimes: kept as is.
for (const file of readdirSync(pkg).filter((f) => /\.(js|mjs|cjs)$/.test(f) && f !== "sandbox.mjs")) {
  const format = file.endsWith(".cjs") ? "cjs" : "esm";
  writeFileSync(join(pkg, file), minifyJs(readFileSync(join(pkg, file), "utf8"), format));
}

const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
manifest.version = version;
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");

const gz = (file) => gzipSync(readFileSync(join(pkg, file)), { level: 9 }).length;
const wasmBytes = statSync(join(pkg, WASM)).size;
const kb = (n) => (n / 1024).toFixed(1) + " KB";
console.log(`pkg/${WASM}: ${wasmBytes} bytes raw (${kb(wasmBytes)}), ${gz(WASM)} bytes gzipped (${kb(gz(WASM))}); before wasm-opt ${kb(statSync(join(bundler, "turkeysms_otp_bg.wasm")).size)}`);
for (const [runtime, files] of Object.entries(RUNTIME_FILES)) {
  const js = files.reduce((sum, f) => sum + gz(f), 0);
  console.log(`  ${runtime.padEnd(19)} JS ${js} B + wasm ${gz(WASM)} B = ${js + gz(WASM)} bytes gzipped (${files.join(" + ")})`);
}
