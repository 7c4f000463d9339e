// Node (import): plain ES functions over node.cjs, which is required on the first call, so
// import and require share one wasm instance and importing costs almost nothing.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let node;
const cjs = () => (node ??= require("./node.cjs"));

export const sendOtp = (options) => cjs().sendOtp(options);
export const sendCustomOtp = (options) => cjs().sendCustomOtp(options);
export const normalizeMobile = (input) => cjs().normalizeMobile(input);
export const validateOptions = (options, kind) => cjs().validateOptions(options, kind);
export const estimateSegments = (text, digits) => cjs().estimateSegments(text, digits);
export const ready = () => cjs().ready();
export const createOtpHandler = (config) => cjs().createOtpHandler(config);
export const memoryLimiterStore = () => cjs().memoryLimiterStore();
export const rateLimitBindingStore = (binding) => cjs().rateLimitBindingStore(binding);
