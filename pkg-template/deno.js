// Deno: the .wasm comes in as a compiled module (a source-phase import), so loading needs no
// --allow-read; it is instantiated on the first call. server.js is the build's bundle of server/.

import * as glue from "./glue.js";
import { configure } from "./instance.js";
import source wasmModule from "./turkeysms_otp.wasm";

configure({ glue, module: () => wasmModule });

export * from "./api.js";
export * from "./server.js";
