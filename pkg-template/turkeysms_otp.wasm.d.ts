/**
 * The package's compiled core, for loaders of your own. What importing it gives depends on who
 * loads it: workerd (wrangler) and other runtimes that import .wasm files as compiled modules give
 * a `WebAssembly.Module`, which is what these types describe; bundlers that treat .wasm as an
 * asset (`?url` in Vite) give its URL instead. The package's entries load it by themselves.
 */
declare const module: WebAssembly.Module;
export default module;
