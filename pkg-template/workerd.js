// Cloudflare Workers (workerd) and other edge runtimes that import .wasm files as compiled
// modules: workerd forbids compiling wasm from bytes, so the module comes in as an import
// (wrangler's default rule for *.wasm) and is instantiated synchronously on import.
import wasmModule from "./turkeysms_otp.wasm";
import * as glue from "./turkeysms_otp_bg.js";
import { createHandler } from "./handler.js";

const instance = new WebAssembly.Instance(wasmModule, { "./turkeysms_otp_bg.js": glue });
glue.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start();

export { estimateSegments, normalizeMobile, sendCustomOtp, sendOtp, validateOptions } from "./turkeysms_otp_bg.js";

export { memoryLimiterStore, rateLimitBindingStore } from "./handler.js";

/** A fetch-API handler that keeps the key server-side; see the README. */
export const createOtpHandler = (config) => createHandler(config, glue);

/** Already ready here; kept so code can call it the same way everywhere. */
export const ready = () => Promise.resolve();
