// Serves a fetch-API handler over real HTTP on 127.0.0.1 (node:http with @hono/node-server's
// adapter, as the README shows), for the flows that need two instances on their own ports.
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";

/** Resolves to { url, close() }. */
export async function serveHandler(handle) {
  const server = createServer(getRequestListener(handle));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
