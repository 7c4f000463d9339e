// The package files each runtime loads besides the .wasm: its entry and the glue it imports.
// Node and browsers load the edge handler only when it is used; workerd and Deno import it with
// the entry. Read by `make build` and `make bench`, which print what each runtime loads.
export const RUNTIME_FILES = {
  "Node / Bun": ["node.mjs", "node.cjs", "glue-node.cjs"],
  browsers: ["browser.js", "turkeysms_otp_bg.js"],
  workerd: ["workerd.js", "turkeysms_otp_bg.js", "handler.js"],
  Deno: ["deno.js", "turkeysms_otp_bg.js", "handler.js"],
};
