// What a page pays in JavaScript for the package: a page importing { sendOtp, verifyOtp,
// normalizeMobile }, built from the installed tarball by esbuild, Vite and webpack 5 with their
// default production settings. Shared by the budget test (page-size.test.mjs) and `make bench`.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

// The three go to globalThis, so no bundler can drop them as unused.
const ENTRY = `import { normalizeMobile, sendOtp, verifyOtp } from "turkeysms-otp";
Object.assign(globalThis, { sendOtp, verifyOtp, normalizeMobile });
`;

/**
 * Builds the page under `<consumerDir>/page-bundle/` (emptied first) with each bundler. Resolves
 * to { esbuild, vite, webpack }, each { gzipBytes, js }: the emitted .js files (every chunk),
 * gzipped one by one at level 9 as a server sends them, summed; and their texts.
 */
export async function measurePageBundles(consumerDir) {
  const dir = join(consumerDir, "page-bundle");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.js"), ENTRY);
  // Vite's default build starts from index.html.
  writeFileSync(join(dir, "index.html"), '<!doctype html><script type="module" src="./main.js"></script>\n');

  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [join(dir, "main.js")],
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: true,
    outdir: join(dir, "esbuild"),
    logLevel: "silent",
  });

  // Each bundler's own defaults but for where it writes (Vite's outDir: inside root, as dist is).
  const vite = await import("vite");
  await vite.build({ root: dir, logLevel: "silent", configFile: false, build: { outDir: "vite" } });

  const { default: webpack } = await import("webpack");
  await new Promise((resolve, reject) =>
    webpack(
      { mode: "production", context: dir, entry: "./main.js", output: { path: join(dir, "webpack") } },
      (error, stats) =>
        error || stats.hasErrors() ? reject(error ?? new Error(stats.toString("errors-only"))) : resolve(),
    ),
  );

  const measure = (out) => {
    const files = readdirSync(out, { recursive: true }).filter((f) => /\.m?js$/.test(f));
    const js = files.map((f) => readFileSync(join(out, f)));
    return {
      gzipBytes: js.reduce((sum, bytes) => sum + gzipSync(bytes, { level: 9 }).length, 0),
      js: js.map(String),
    };
  };
  return {
    esbuild: measure(join(dir, "esbuild")),
    vite: measure(join(dir, "vite")),
    webpack: measure(join(dir, "webpack")),
  };
}
