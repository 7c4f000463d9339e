// How the package's bytes are made small, in one place: `make build` uses it for the package and
// `make bench` for the floor crate (bench/floor), so both are measured the same way.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { leb, skipLimits } from "../bench/wasm-sizes.mjs";

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
  const flags = [
    "-Oz",
    "--low-memory-unused",
    "--strip-producers",
    "--strip-target-features",
    ...(keepNames ? ["-g"] : []),
  ];
  execFileSync(wasmOpt, [...flags, input, "-o", output], { stdio: ["ignore", "inherit", "inherit"] });
}

/** esbuild's minifier: whitespace, syntax and local names; exported names stay. */
export function minifyJs(source, format) {
  return transformSync(source, { minify: true, format, logLevel: "error" }).code;
}

const toLeb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const name = (text) => [...toLeb(encoder.encode(text).length), ...encoder.encode(text)];

/**
 * Gives the wasm's imports from the glue one-letter names, in the .wasm and in the glue alike:
 * wasm-bindgen names each `__wbg_<name>_<16 hex digits>` under the module "./turkeysms_otp_bg.js",
 * about 45 bytes of incompressible text per import, in both files. Each old name must appear in
 * the glue exactly once, as its key in the imports object, or the build stops.
 * Returns { wasm, glue }.
 */
export function shortenImports(wasm, glue, module = "./turkeysms_otp_bg.js") {
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = leb(wasm, at + 1);
    if (id !== 2) {
      at = start + size;
      continue;
    }
    let [count, p] = leb(wasm, start);
    const out = [...toLeb(count)];
    let next = 0;
    for (; count > 0; count--) {
      let length;
      [length, p] = leb(wasm, p);
      const mod = decoder.decode(wasm.subarray(p, p + length));
      p += length;
      [length, p] = leb(wasm, p);
      const field = decoder.decode(wasm.subarray(p, p + length));
      p += length;
      const descStart = p;
      const kind = wasm[p++];
      if (kind === 0) [, p] = leb(wasm, p);
      else if (kind === 1) p = skipLimits(wasm, p + 1);
      else if (kind === 2) p = skipLimits(wasm, p);
      else if (kind === 3) p += 2;
      else if (kind === 4) p = leb(wasm, p + 1)[1];
      else throw new Error(`import kind ${kind}`);
      let short = field;
      if (mod === module) {
        short = next.toString(36);
        next += 1;
        const key = `\n        ${field}: function(`;
        if (glue.split(key).length !== 2) throw new Error(`the glue does not define the import ${field} exactly once`);
        glue = glue.replace(key, `\n        ${JSON.stringify(short)}: function(`);
      }
      out.push(...name(mod === module ? "g" : mod), ...name(short), ...wasm.subarray(descStart, p));
    }
    const key = `"${module}": import0`;
    if (glue.split(key).length !== 2) throw new Error(`the glue does not name the module ${module} exactly once`);
    glue = glue.replace(key, `"g": import0`);
    const section = Uint8Array.from([2, ...toLeb(out.length), ...out]);
    const result = new Uint8Array(at + section.length + (wasm.length - (start + size)));
    result.set(wasm.subarray(0, at));
    result.set(section, at);
    result.set(wasm.subarray(start + size), at + section.length);
    return { wasm: result, glue };
  }
  throw new Error("the .wasm has no import section");
}
