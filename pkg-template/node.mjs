// Node (import): the same instance as require() gets, so both styles share one wasm module.
import node from "./node.cjs";

export const { sendOtp, sendCustomOtp, normalizeMobile, validateOptions, estimateSegments, ready, createOtpHandler, memoryLimiterStore, rateLimitBindingStore } = node;
