/** The package's compiled core (see turkeysms_otp.wasm.d.ts): a `WebAssembly.Module` where .wasm files are imported as modules. */
declare const module: WebAssembly.Module;
export = module;
