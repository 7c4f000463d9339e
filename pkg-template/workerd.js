// Cloudflare Workers (workerd) and other edge runtimes that import .wasm files as compiled
// modules: workerd forbids compiling wasm from bytes, so the module comes in as an import
// (wrangler's default rule for *.wasm) and is instantiated on the first call. server.js is the
// build's bundle of server/ (the service, the handler, the stores).
import * as glue from "./glue.js";
import { configure } from "./instance.js";
import wasmModule from "./turkeysms_otp.wasm";

configure({ glue, module: () => wasmModule });

export * from "./api.js";
export * from "./server.js";
