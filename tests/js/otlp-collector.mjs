// A loopback OTLP/HTTP collector for the metrics tests (tests/js/metrics.test.mjs in Node,
// tests/runtimes/otel-workerd.test.mjs from workerd): a node:http server on 127.0.0.1 that keeps
// every POST it receives, and a reader of OTLP/JSON's ExportMetricsServiceRequest.
import assert from "node:assert/strict";
import { createServer } from "node:http";

/** Resolves to { url, received: [{ method, path, type, body }], close() }. */
export async function startCollector() {
  const received = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ method: req.method, path: req.url, type: req.headers["content-type"], body });
      res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A list in a stable order (by its items' JSON). */
export const sorted = (list) => [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/**
 * OTLP/JSON's ExportMetricsServiceRequest → name → { unit, points: [attributes, value] }: a sum's
 * value, a histogram's count. Only the scope `scope`'s metrics; every sum must be a monotonic
 * counter.
 */
export function otlpMetrics(request, scope) {
  const out = {};
  for (const resource of request.resourceMetrics) {
    for (const scoped of resource.scopeMetrics.filter((s) => s.scope.name === scope)) {
      for (const metric of scoped.metrics) {
        if (metric.sum) assert.equal(metric.sum.isMonotonic, true, metric.name);
        const data = metric.sum ?? metric.histogram;
        const points = data.dataPoints.map((p) => [
          Object.fromEntries(p.attributes.map((a) => [a.key, a.value.stringValue])),
          Number(metric.sum ? (p.asDouble ?? p.asInt) : p.count),
        ]);
        out[metric.name] = { unit: metric.unit, points: sorted(points) };
      }
    }
  }
  return out;
}
