// The runtime fixture page (tests/runtimes/fixtures/bundled) built by Vite, webpack 5 and esbuild
// into dist/<bundler>/, for the browser suites: Chromium (tests/runtimes/browsers.test.mjs) and
// Firefox and WebKit (tests/engines/runtime.test.mjs).
import { copyFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { consumerDir } from "./processes.mjs";

const source = join(consumerDir, "tests/runtimes/fixtures/bundled");

/** Builds the page with each bundler into `dist` (emptied first). */
export async function buildBundles(dist) {
  rmSync(dist, { recursive: true, force: true });

  const vite = await import("vite");
  await vite.build({
    root: source,
    base: "./",
    logLevel: "silent",
    configFile: false,
    build: { outDir: join(dist, "vite"), emptyOutDir: true },
  });

  const { default: webpack } = await import("webpack");
  await new Promise((resolve, reject) =>
    webpack(
      {
        mode: "production",
        context: source,
        entry: "./main.js",
        output: { path: join(dist, "webpack"), filename: "main.js", publicPath: "auto" },
      },
      (error, stats) =>
        error || stats.hasErrors() ? reject(error ?? new Error(stats.toString("errors-only"))) : resolve(),
    ),
  );
  copyFileSync(join(source, "index.html"), join(dist, "webpack", "index.html"));

  // esbuild leaves new URL("./turkeysms_otp.wasm", import.meta.url) alone: the .wasm goes next
  // to the bundle, copied from the package's own export of it.
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [join(source, "main.js")],
    bundle: true,
    format: "esm",
    platform: "browser",
    outdir: join(dist, "esbuild"),
    logLevel: "silent",
  });
  copyFileSync(join(source, "index.html"), join(dist, "esbuild", "index.html"));
  copyFileSync(
    createRequire(join(consumerDir, "package.json")).resolve("turkeysms-otp/turkeysms_otp.wasm"),
    join(dist, "esbuild", "turkeysms_otp.wasm"),
  );
}
