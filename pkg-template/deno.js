// Deno: the .wasm comes in as a compiled module (a source-phase import), so loading needs no
// --allow-read; it is instantiated on the first call.

import * as glue from "./glue.js";
import * as handler from "./handler.js";
import { configure } from "./instance.js";
import source wasmModule from "./turkeysms_otp.wasm";

configure({ glue, module: () => wasmModule, handler: () => handler });

export * from "./api.js";
