#!/usr/bin/env node
// `make demo`: the sandbox plus a static server for www/ (and the built package under /pkg/),
// both on 127.0.0.1. Prints the page's URL; Ctrl-C stops both.
//   DEMO_PORT (default 8080) and SANDBOX_PORT (default 8787); 0 picks a free port.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startSandbox } from "../sandbox/server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml", ".ts": "text/plain" };

/** Starts the demo; resolves to { url, sandboxUrl, close() }. */
export async function startDemo({ port = 8080, sandboxPort = 8787 } = {}) {
  const sandbox = await startSandbox({ port: sandboxPort });
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://demo").pathname);
    if (path === "/config.json") {
      res.writeHead(200, { "Content-Type": TYPES[".json"], "Cache-Control": "no-store" });
      return res.end(JSON.stringify({ sandboxUrl: sandbox.url }));
    }
    const [base, rest] = path.startsWith("/pkg/") ? [join(root, "pkg"), path.slice(5)] : [join(root, "www"), path === "/" ? "index.html" : path.slice(1)];
    const file = normalize(join(base, rest));
    let found = false;
    try {
      found = file.startsWith(base + sep) && statSync(file).isFile();
    } catch {}
    if (!found) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("not found");
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    sandboxUrl: sandbox.url,
    close: () => Promise.all([sandbox.close(), new Promise((r) => server.close(r))]),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const demo = await startDemo({ port: Number(process.env.DEMO_PORT ?? 8080), sandboxPort: Number(process.env.SANDBOX_PORT ?? 8787) }).catch((error) => {
    if (error.code !== "EADDRINUSE") throw error;
    console.error(`make demo: port ${error.port} is in use; choose others, e.g. DEMO_PORT=0 SANDBOX_PORT=0 make demo`);
    process.exit(1);
  });
  console.log(`TurkeySMS sandbox: ${demo.sandboxUrl}`);
  console.log(`Demo page:         ${demo.url}   (Ctrl-C to stop)`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
