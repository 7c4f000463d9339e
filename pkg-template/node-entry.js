// Node and Bun (require, and import through node.mjs): the page API and the server's names. The
// build bundles this file with everything it imports into node.cjs, one CommonJS file, so import
// and require share one wasm instance. The glue (glue.cjs) and the wasm are loaded on the first
// call, not on import.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configure } from "./instance.js";

// node.cjs is CommonJS: __dirname and require are its own.
const WASM = join(__dirname, "turkeysms_otp.wasm");
configure({
  glue: () => require("./glue.cjs"),
  module: () => new WebAssembly.Module(readFileSync(WASM)),
  source: WASM,
});

export * from "./api.js";
export * from "./server/index.js";
