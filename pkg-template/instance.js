// The wasm instance behind the API: loading it, and recovering from a trap. Each runtime's entry
// calls `configure` once with wasm-bindgen's glue and a way to get the compiled .wasm module;
// api.js calls through `callSync` and `callAsync`.
//
// A trap (a panic, running out of memory, a stack overflow) leaves a wasm instance unusable. If
// one ever happens, every call in flight on that instance rejects with an OtpError
// (INTERNAL_ERROR), the instance is dropped, and the next call runs on a fresh one made from the
// same compiled module.

/** Every error the package throws or rejects with, from the wasm or from JavaScript. */
export class OtpError extends Error {
  /** What `JSON.stringify` shows: the contract's properties and the message (never the key). */
  toJSON() {
    const { name, code, message, status, retryable, field, attempts, retryAfter, origin } =
      /** @type {import("./index.d.ts").OtpError} */ (/** @type {unknown} */ (this));
    return { name, code, message, status, retryable, field, attempts, retryAfter, origin };
  }
}
OtpError.prototype.name = "OtpError";
// The class keeps its name through the minifier: `console.log(error)` shows `OtpError: …`.
Object.defineProperty(OtpError, "name", { value: "OtpError" });

export function otpError(code, message, retryable = false) {
  const error = new OtpError(message);
  Object.assign(error, { code, retryable, attempts: 0 });
  return error;
}

/** The wasm makes plain `Error`s named OtpError: they get the class here, and keep their stack. */
const typed = (error) =>
  error instanceof Error && error.name === "OtpError" && !(error instanceof OtpError)
    ? Object.setPrototypeOf(error, OtpError.prototype)
    : error;

/**
 * The error's stack, taken again where the package hands it to the caller: it then starts at the
 * caller's own frames (async ones included, `at async main (app.js:12)`), not in the wasm or the
 * minified glue, so a stack trace (and the source line Node prints for an uncaught error) leads
 * to the caller's code. `above` is the package's outermost function on the stack; V8 and
 * JavaScriptCore have `Error.captureStackTrace`, elsewhere the stack stays as it was.
 */
function reframed(error, above) {
  const V8 = /** @type {{ captureStackTrace?: (target: object, above?: Function) => void }} */ (Error);
  if (error instanceof OtpError && typeof V8.captureStackTrace === "function") V8.captureStackTrace(error, above);
  return error;
}

/** How a trapped instance shows itself: an `unreachable` or out-of-memory trap, a stack overflow. */
const isTrap = (error) =>
  error instanceof WebAssembly.RuntimeError || error instanceof RangeError || error?.name === "InternalError";

function trapError(cause) {
  const what = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return otpError(
    "INTERNAL_ERROR",
    `turkeysms-otp hit an internal error (${what}) and restarted its wasm instance: this call did not finish, and may or may not have sent its SMS. Later calls work; please report this as a bug.`,
  );
}

/** The wasm could not be read, compiled or instantiated. */
const notReady = (cause) =>
  otpError(
    "NOT_READY",
    `Could not load ${parts.source ?? "turkeysms_otp.wasm"} (${cause?.message ?? cause}): make sure your server or bundler serves the package's .wasm file.`,
    true,
  );

let parts;
let loaded = false;
let loading;
/** The rejecters of the calls in flight on the current instance. */
const inFlight = new Set();

/**
 * @param {object} p
 * @param {object | (() => object)} p.glue wasm-bindgen's glue (web target, with `__wbg_reset_state`),
 *   or a function that loads it on the first call (Node: loading the package then costs little)
 * @param {() => WebAssembly.Module} [p.module] the compiled .wasm, where it can be had at once
 * @param {() => Promise<WebAssembly.Module>} [p.loadModule] or a way to fetch it (browsers)
 * @param {string} [p.source] where the .wasm comes from, for the NOT_READY message
 */
export function configure(p) {
  parts = p;
}

let loadedGlue;
/** The glue, loaded on first use where the entry passed a loader. */
function glue() {
  if (!loadedGlue) {
    loadedGlue = typeof parts.glue === "function" ? parts.glue() : parts.glue;
    // A trap while the wasm runs a task of its own (between two awaits of a call) surfaces here.
    loadedGlue.__wbg_on_trap((error) => {
      if (!isTrap(error)) throw error;
      recover(error);
    });
  }
  return loadedGlue;
}

function instantiate(compiled) {
  if (!loaded) glue().initSync({ module: compiled });
  loaded = true;
}

/** Drops a trapped instance for a fresh one; every call in flight on it rejects. */
function recover(cause) {
  const error = trapError(cause);
  for (const reject of inFlight) reject(error);
  inFlight.clear();
  glue().__wbg_reset_state();
  return error;
}

/** Loads the wasm once; safe to call any number of times, and again after a failure. */
export function ready() {
  if (loaded) return Promise.resolve();
  loading ??= Promise.resolve()
    .then(parts.loadModule ?? parts.module)
    .then(instantiate)
    .catch((cause) => {
      loading = undefined;
      throw notReady(cause);
    });
  return loading;
}

/**
 * Calls a synchronous export: it needs the wasm now, which only browsers load asynchronously.
 * `caller` is the public function that called, where an error's stack starts.
 */
export function callSync(name, args, caller = callSync) {
  if (!loaded) {
    if (!parts.module)
      throw reframed(
        otpError("NOT_READY", `${name}() was called before the wasm loaded: call \`await ready()\` once first.`, true),
        caller,
      );
    try {
      instantiate(parts.module());
    } catch (cause) {
      throw reframed(notReady(cause), caller);
    }
  }
  try {
    return glue()[name](...args);
  } catch (error) {
    throw reframed(isTrap(error) ? recover(error) : typed(error), caller);
  }
}

/** Calls an asynchronous export: it waits for the wasm, and rejects (never hangs) on a trap. */
export async function callAsync(name, args) {
  try {
    await ready();
  } catch (error) {
    throw reframed(error, callAsync);
  }
  let reject;
  const trapped = new Promise((_, r) => {
    reject = r;
  });
  inFlight.add(reject);
  try {
    return await Promise.race([glue()[name](...args), trapped]);
  } catch (error) {
    throw reframed(isTrap(error) ? recover(error) : typed(error), callAsync);
  } finally {
    inFlight.delete(reject);
  }
}

export { reframed };

/** For the package's own tests, not part of the API: wasm memory and the values it holds, and
 * traps on purpose, now or from the wasm's task queue while other calls are in flight. */
export const internals = {
  diagnostics: () => callSync("__diagnostics", []),
  defaults: () => JSON.parse(callSync("defaults", [])),
  trap: () => callSync("__trap", []),
  trapLater: () => callAsync("__trapLater", []),
};
