// Node (require): the wasm is read and instantiated synchronously when this file loads.
"use strict";
const glue = require("./glue-node.cjs");
// The handler is read only by code that uses it: most callers only send.
const handler = () => require("./handler.cjs");

module.exports = {
  sendOtp: glue.sendOtp,
  sendCustomOtp: glue.sendCustomOtp,
  normalizeMobile: glue.normalizeMobile,
  validateOptions: glue.validateOptions,
  estimateSegments: glue.estimateSegments,
  /** Already ready in Node; kept so code can call it the same way everywhere. */
  ready: () => Promise.resolve(),
  createOtpHandler: (config) => handler().createHandler(config, glue),
  memoryLimiterStore: () => handler().memoryLimiterStore(),
  rateLimitBindingStore: (binding) => handler().rateLimitBindingStore(binding),
};
