// Node and Bun (require, and import through node.mjs). The build bundles this file with api.js and
// instance.js into node.cjs, one CommonJS file, so import and require share one wasm instance.
// The glue (glue.cjs) and the wasm are loaded on the first call, not on import.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configure } from "./instance.js";

// node.cjs is CommonJS: __dirname and require are its own.
const WASM = join(__dirname, "turkeysms_otp.wasm");
configure({
  glue: () => require("./glue.cjs"),
  module: () => new WebAssembly.Module(readFileSync(WASM)),
  // Read only by code that uses it: most callers only send.
  handler: () => require("./handler.cjs"),
  source: WASM,
});

export * from "./api.js";
