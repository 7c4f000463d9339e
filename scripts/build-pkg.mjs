#!/usr/bin/env node
// Assembles the publishable npm package in pkg/.
//
// wasm-pack builds the crate once, for wasm-bindgen's `web` target: ES-module glue that takes
// its compiled module from the caller, which every runtime's entry then does its own way (a
// file read in Node, a fetch in browsers, an import in workerd and Deno). scripts/bin/ comes
// first on PATH so that wasm-bindgen also writes `__wbg_reset_state`, used to replace a trapped
// instance. The .wasm is optimised with npm's wasm-opt (Debian's breaks the module); esbuild
// bundles the CommonJS files for require() and minifies what runtimes load; the sizes are printed.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { buildSync, build as esbuild } from "esbuild";
import { RUNTIME_FILES, SERVER_SOURCES } from "./runtime-files.mjs";
import { minifyJs, optimizeWasm, shortenImports } from "./shrink.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const build = join(root, "build");
const pkg = join(root, "pkg");
const WASM = "turkeysms_otp.wasm";

const web = join(build, "web");
rmSync(web, { recursive: true, force: true });
// Panic locations of dependencies name their source files, and the .wasm carries those paths
// (a few hundred bytes, and this machine's home directory): they are cut to the crate's own path.
const registry = join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "registry", "src");
const remap = existsSync(registry)
  ? readdirSync(registry).map((index) => `--remap-path-prefix=${join(registry, index)}/=`)
  : [];
execFileSync(
  "wasm-pack",
  [
    "--quiet",
    "build",
    "--release",
    "--target",
    "web",
    "--out-dir",
    web,
    "--no-typescript",
    "--no-pack",
    "--mode",
    "no-install",
  ],
  {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      PATH: `${join(root, "scripts", "bin")}:${process.env.PATH}`,
      RUSTFLAGS: [process.env.RUSTFLAGS ?? "", ...remap].join(" ").trim(),
    },
  },
);

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
optimizeWasm(join(web, "turkeysms_otp_bg.wasm"), join(pkg, WASM));
const short = shortenImports(
  readFileSync(join(pkg, WASM)),
  containTraps(readFileSync(join(web, "turkeysms_otp.js"), "utf8")),
);
writeFileSync(join(pkg, WASM), short.wasm);
writeFileSync(join(pkg, "glue.js"), short.glue);

/**
 * Three edits to wasm-bindgen's glue, so that a trap inside a task the wasm runs on its own
 * (between two awaits of a call, where no caller's try/catch reaches) is reported to
 * instance.js instead of escaping as an uncaught error, and so that the callbacks of a dropped
 * instance do nothing. Each edit must apply, or the build stops: wasm-bindgen's output changed.
 */
function containTraps(glue) {
  const edits = [
    [
      "if (state.instance !== __wbg_instance_id) {\n            throw new Error('Cannot invoke closure from previous WASM instance');\n        }",
      "if (state.instance !== __wbg_instance_id) return;",
    ],
    [
      "return f(a, state.b, ...args);\n        } finally {",
      "return f(a, state.b, ...args);\n        } catch (e) {\n            __wbg_trapped(e);\n        } finally {",
    ],
    ["if (--state.cnt === 0) {", "if (--state.cnt === 0 && state.instance === __wbg_instance_id) {"],
  ];
  for (const [from, to] of edits) {
    if (glue.split(from).length !== 2)
      throw new Error(`wasm-bindgen's glue changed: cannot find ${JSON.stringify(from)}`);
    glue = glue.replace(from, to);
  }
  return `${glue}\nlet __wbg_trapped = (e) => {\n    throw e;\n};\n/** instance.js: who hears of a trap inside the wasm's own tasks. */\nexport function __wbg_on_trap(handler) {\n    __wbg_trapped = handler;\n}\n`;
}

const template = join(root, "pkg-template");
// The page API and the entries are copied as they are; the server side is bundled below.
cpSync(template, pkg, {
  recursive: true,
  filter: (from) => !SERVER_SOURCES.some((name) => from === join(template, name)),
});
cpSync(join(pkg, "index.d.ts"), join(pkg, "index.d.cts"));
// static.mjs (the turkeysms-otp-static command) copies what a page loads: the browsers' files and
// the .wasm, no more, no less.
const staticFiles = JSON.parse(
  /const FILES = (\[[^\]]*\])/.exec(readFileSync(join(template, "static.mjs"), "utf8"))[1],
);
if (staticFiles.toSorted().join() !== [...RUNTIME_FILES.browsers, WASM].toSorted().join()) {
  throw new Error(
    `pkg-template/static.mjs copies ${staticFiles}, but browsers load ${RUNTIME_FILES.browsers} and ${WASM}`,
  );
}
// The server's defaults come from the Rust rules (src/bin/defaults.rs prints src/defaults.rs).
const defaults = execFileSync("cargo", ["run", "--quiet", "--release", "--bin", "defaults"], {
  cwd: root,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
/** Lua scripts (stores/redis/*.lua) are bundled as strings; jose comes from the workspace. */
const serverBundle = {
  bundle: true,
  loader: { ".lua": "text" },
  nodePaths: [join(root, "node_modules")],
  define: { __TURKEYSMS_DEFAULTS__: JSON.stringify(JSON.parse(defaults)) },
};
// require(): one CommonJS file with the page API, the instance, the server and jose, so import
// (node.mjs) and require share one wasm instance; the glue is read on first use.
buildSync({
  ...serverBundle,
  entryPoints: [join(template, "node-entry.js")],
  outfile: join(pkg, "node.cjs"),
  format: "cjs",
  platform: "node",
  external: ["./glue.cjs"],
  legalComments: "inline",
  logLevel: "error",
});
buildSync({
  entryPoints: [join(pkg, "glue.js")],
  outfile: join(pkg, "glue.cjs"),
  format: "cjs",
  platform: "node",
  logLevel: "error",
});
// import: node.mjs names every export of node.cjs (Node cannot see them in a bundle by itself).
const names = Object.keys(createRequire(import.meta.url)(join(pkg, "node.cjs")));
writeFileSync(
  join(pkg, "node.mjs"),
  `// Node (import): the same module as require() gives, so both share one wasm instance.\nimport { createRequire } from "node:module";\n\nexport const { ${names.join(", ")} } = createRequire(import.meta.url)("./node.cjs");\n`,
);
// server.js, for workerd and Deno: pkg-template/server/ with the stores and the two jose
// functions it uses, in one ES module that imports the page API's own files (./api.js,
// ./instance.js), so the server and the page API share one wasm instance, and unbundled
// runtimes resolve nothing outside the package.
const PAGE_FILES = ["api.js", "instance.js"];
await esbuild({
  ...serverBundle,
  entryPoints: [join(template, "server", "index.js")],
  outfile: join(pkg, "server.js"),
  format: "esm",
  platform: "neutral",
  legalComments: "inline",
  logLevel: "error",
  plugins: [
    {
      name: "page-files",
      setup(b) {
        b.onResolve({ filter: /\.js$/ }, ({ path, resolveDir }) => {
          const file = PAGE_FILES.find((name) => join(resolveDir, path) === join(template, name));
          return file ? { path: `./${file}`, external: true } : undefined;
        });
      },
    },
  ],
});
// turkeysms-otp/better-auth (adapters/better-auth.js), as ES module and CommonJS. better-auth is
// the application's (a peer dependency), and the package itself is imported by its name, so the
// adapter uses the application's own instance (node.cjs, or the runtime's entry) and carries no
// wasm of its own: only its pure modules (server/policy.js) are bundled in.
for (const [format, file] of [
  ["esm", "better-auth.js"],
  ["cjs", "better-auth.cjs"],
]) {
  buildSync({
    bundle: true,
    entryPoints: [join(template, "adapters", "better-auth.js")],
    outfile: join(pkg, file),
    format,
    platform: "neutral",
    external: ["better-auth", "better-auth/*", "turkeysms-otp"],
    logLevel: "error",
  });
}
// Its types for require(): better-auth is ESM only, so a CommonJS declaration file must name the
// resolution mode of each import of its types (TS1541).
const adapterTypes = readFileSync(join(pkg, "better-auth.d.ts"), "utf8");
const cjsTypes = adapterTypes.replace(
  /^(import type \{[^}]*\} from "better-auth[^"]*");$/gm,
  '$1 with { "resolution-mode": "import" };',
);
if (cjsTypes.split("resolution-mode").length !== adapterTypes.split("resolution-mode").length + 2) {
  throw new Error("pkg-template/better-auth.d.ts: expected two imports of better-auth's types");
}
writeFileSync(join(pkg, "better-auth.d.cts"), cjsTypes);
cpSync(join(root, "sandbox", "server.mjs"), join(pkg, "sandbox.mjs"));
// The docs the README links to travel with it, so its links work for whoever installed it.
cpSync(join(root, "docs"), join(pkg, "docs"), { recursive: true });
// The npm README is the user-facing part of the repository's README: one text, two readers. It is
// the introduction and every <!-- npm:start --> … <!-- npm:end --> region (the repository's
// "Develop" section sits between two of them).
const readme = readFileSync(join(root, "README.md"), "utf8");
const regions = [...readme.matchAll(/<!-- npm:start -->\n([\s\S]*?)<!-- npm:end -->/g)].map((m) => m[1].trimEnd());
if (regions.length === 0) throw new Error("README.md lost its <!-- npm:start --> / <!-- npm:end --> markers");
const intro = readme.split("<!-- npm:start -->")[0];
writeFileSync(join(pkg, "README.md"), `${[intro.trimEnd(), ...regions].join("\n\n")}\n`);

// Every file a runtime loads is minified: 2 to 3 KB less gzipped per runtime. The readable
// sources are pkg-template/ and wasm-bindgen's output in build/. The sandbox and static.mjs are
// commands, not loaded by runtimes: kept as they are.
const COMMANDS = ["sandbox.mjs", "static.mjs"];
for (const file of readdirSync(pkg).filter((f) => /\.(js|mjs|cjs)$/.test(f) && !COMMANDS.includes(f))) {
  const format = file.endsWith(".cjs") ? "cjs" : "esm";
  writeFileSync(join(pkg, file), minifyJs(readFileSync(join(pkg, file), "utf8"), format));
}

const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
manifest.version = version;
writeFileSync(join(pkg, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);

const gz = (file) => gzipSync(readFileSync(join(pkg, file)), { level: 9 }).length;
const wasmBytes = statSync(join(pkg, WASM)).size;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `pkg/${WASM}: ${wasmBytes} bytes raw (${kb(wasmBytes)}), ${gz(WASM)} bytes gzipped (${kb(gz(WASM))}); before wasm-opt ${kb(statSync(join(web, "turkeysms_otp_bg.wasm")).size)}`,
);
for (const [runtime, files] of Object.entries(RUNTIME_FILES)) {
  const js = files.reduce((sum, f) => sum + gz(f), 0);
  console.log(
    `  ${runtime.padEnd(19)} JS ${js} B + wasm ${gz(WASM)} B = ${js + gz(WASM)} bytes gzipped (${files.join(" + ")})`,
  );
}
