// How the package's bytes are made small, in one place: `make build` uses it for the package and
// `make bench` for the floor crate (bench/floor), so both are measured the same way.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * npm's wasm-opt (Debian's breaks the module), -Oz. --low-memory-unused lets small constant
 * offsets fold into loads and stores (about 200 B gzipped): Rust lays the stack out first, so the
 * low 1 KiB is the far end of a 1 MiB stack. The producers and target-features sections are
 * metadata no runtime reads. `keepNames` (-g) keeps function names, for make bench's listing of
 * where the bytes go; the code is the same.
 */
export function optimizeWasm(input, output, { keepNames = false } = {}) {
  const wasmOpt = join(root, "node_modules", ".bin", "wasm-opt");
  if (!existsSync(wasmOpt)) throw new Error("npm's wasm-opt is missing: run `make setup`");
  const flags = ["-Oz", "--low-memory-unused", "--strip-producers", "--strip-target-features", ...(keepNames ? ["-g"] : [])];
  execFileSync(wasmOpt, [...flags, input, "-o", output], { stdio: ["ignore", "inherit", "inherit"] });
}

/** esbuild's minifier: whitespace, syntax and local names; exported names stay. */
export function minifyJs(source, format) {
  return transformSync(source, { minify: true, format, logLevel: "error" }).code;
}
