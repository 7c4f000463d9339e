// What the build provides to pkg-template's sources, for `tsc -p tsconfig.checkjs.json`.
/** src/defaults.rs, written in by scripts/build-pkg.mjs (see server/defaults.js). */
declare const __TURKEYSMS_DEFAULTS__: {
  sdk: Record<string, number>;
  // biome-ignore lint/suspicious/noExplicitAny: src/defaults.rs's JSON, held to the Rust by tests/js/defaults.test.mjs
  handler: Record<string, any>;
};
/** stores/redis/*.lua, bundled as text by esbuild. */
declare module "*.lua" {
  const text: string;
  export default text;
}
