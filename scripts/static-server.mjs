// A small static file server on 127.0.0.1, for the demo and the browser tests.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serves `mounts` ({ "/url/prefix/": "/dir" }, longest prefix wins; "/" serves index.html),
 * `routes` ({ "/path": () => [contentType, body] }) and `handlers` ({ "/prefix/": fetch-API
 * handler }). Resolves to { url, close() }.
 */
export async function serveStatic({ mounts, routes = {}, handlers = {}, port = 0 }) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://static").pathname);
    } catch {
      path = "/";
    }
    const handlerPrefix = Object.keys(handlers).find((p) => path.startsWith(p));
    if (handlerPrefix) return serveFetch(handlers[handlerPrefix], req, res);
    if (routes[path]) {
      const [type, body] = routes[path]();
      res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" });
      return res.end(body);
    }
    const prefix = prefixes.find((p) => path.startsWith(p));
    const base = prefix && resolve(mounts[prefix]);
    const file = base && normalize(join(base, path.slice(prefix.length) || "index.html"));
    let found = false;
    try {
      found = file.startsWith(base + sep) && statSync(file).isFile();
    } catch {}
    if (!found) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("not found");
    }
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Cache-Control": "no-store",
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Hands a Node request to a fetch-API handler and writes its Response back. */
async function serveFetch(handler, req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body =
    req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS" ? undefined : Buffer.concat(chunks);
  const response = await handler(
    new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers, body }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
