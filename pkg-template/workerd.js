// Cloudflare Workers (workerd) and other edge runtimes that import .wasm files as compiled
// modules: workerd forbids compiling wasm from bytes, so the module comes in as an import
// (wrangler's default rule for *.wasm) and is instantiated on the first call.
import * as glue from "./glue.js";
import * as handler from "./handler.js";
import { configure } from "./instance.js";
import wasmModule from "./turkeysms_otp.wasm";

configure({ glue, module: () => wasmModule, handler: () => handler });

export * from "./api.js";
