// The package files each runtime loads besides the .wasm: its entry and what it imports. Pages
// load the page API only; servers load server.js too (the bundle of pkg-template/server/ with
// the stores and jose). Read by `make build` and `make bench`, which print what each runtime loads.
const PAGE = ["api.js", "instance.js", "glue.js"];
export const RUNTIME_FILES = {
  "Node / Bun": ["node.mjs", "node.cjs", "glue.cjs"],
  browsers: ["browser.js", ...PAGE],
  workerd: ["workerd.js", ...PAGE, "server.js"],
  Deno: ["deno.js", ...PAGE, "server.js"],
};
/** The folders and files of pkg-template/ that the build bundles rather than copies. */
export const SERVER_SOURCES = ["server", "stores", "adapters", "sdk.js", "node-entry.js"];
