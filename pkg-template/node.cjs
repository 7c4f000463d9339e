// Node (require): the wasm is read and instantiated synchronously when this file loads.
"use strict";
const glue = require("./glue-node.cjs");
const { createHandler, memoryLimiterStore, rateLimitBindingStore } = require("./handler.cjs");

module.exports = {
  sendOtp: glue.sendOtp,
  sendCustomOtp: glue.sendCustomOtp,
  normalizeMobile: glue.normalizeMobile,
  validateOptions: glue.validateOptions,
  estimateSegments: glue.estimateSegments,
  /** Already ready in Node; kept so code can call it the same way everywhere. */
  ready: () => Promise.resolve(),
  createOtpHandler: (config) => createHandler(config, glue),
  memoryLimiterStore,
  rateLimitBindingStore,
};
