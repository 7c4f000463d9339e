// Deno: imports the .wasm as a module (Wasm ES-module integration), so loading needs no
// --allow-read; the runtime links the wasm's imports to the glue itself.
import * as wasm from "./turkeysms_otp.wasm";
import * as glue from "./turkeysms_otp_bg.js";
import { createHandler } from "./handler.js";

glue.__wbg_set_wasm(wasm);
wasm.__wbindgen_start();

export { estimateSegments, normalizeMobile, sendCustomOtp, sendOtp, validateOptions } from "./turkeysms_otp_bg.js";

export { memoryLimiterStore, rateLimitBindingStore } from "./handler.js";

/** A fetch-API handler that keeps the key server-side; see the README. */
export const createOtpHandler = (config) => createHandler(config, glue);

/** Already ready here; kept so code can call it the same way everywhere. */
export const ready = () => Promise.resolve();
