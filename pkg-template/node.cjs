// Node (require, and import through node.mjs): the wasm is read, compiled and instantiated
// synchronously on the first call, not on import, so importing the package costs almost
// nothing until it is used. Every call after the first goes straight to the glue.
"use strict";

let glue;
const wasm = () => (glue ??= require("./glue-node.cjs"));
// The handler is read only by code that uses it: most callers only send.
const handler = () => require("./handler.cjs");

module.exports = {
  sendOtp: (options) => wasm().sendOtp(options),
  sendCustomOtp: (options) => wasm().sendCustomOtp(options),
  normalizeMobile: (input) => wasm().normalizeMobile(input),
  validateOptions: (options, kind) => wasm().validateOptions(options, kind),
  estimateSegments: (text, digits) => wasm().estimateSegments(text, digits),
  /** Loads the wasm now (it is otherwise loaded on the first call); resolves at once. */
  ready: () => {
    wasm();
    return Promise.resolve();
  },
  createOtpHandler: (config) => handler().createHandler(config, wasm()),
  memoryLimiterStore: () => handler().memoryLimiterStore(),
  rateLimitBindingStore: (binding) => handler().rateLimitBindingStore(binding),
};
