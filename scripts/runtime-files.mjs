// The package files each runtime loads besides the .wasm: its entry and what it imports.
// Node and browsers load the edge handler only when it is used; workerd and Deno import it with
// the entry. Read by `make build` and `make bench`, which print what each runtime loads.
const STORES = ["store-memory.js", "store-redis.js", "store-durable-object.js"];
const API = ["api.js", "instance.js", "glue.js", ...STORES];
/** The handler's sources, bundled by the build into handler.js and handler.cjs (with jose). */
export const HANDLER_SOURCES = [
  "handler-config.js",
  "handler-http.js",
  "handler-send.js",
  "handler-verify.js",
  "client-ip.js",
  "token.js",
];
const HANDLER = ["handler.js"];
export const RUNTIME_FILES = {
  "Node / Bun": ["node.mjs", "node.cjs", "glue.cjs"],
  browsers: ["browser.js", ...API],
  workerd: ["workerd.js", ...API, ...HANDLER],
  Deno: ["deno.js", ...API, ...HANDLER],
};
