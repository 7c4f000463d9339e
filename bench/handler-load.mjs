// The handler under load, as make bench runs it (inside build/consumer, on the installed package):
// two handler instances sharing one store take 1,000 requests for distinct valid numbers from 50
// client IPs, interleaved with a flood of 5,000 requests for one number from the same IPs. With
// each IP allowed its 20 codes an hour (and the flood's one), every legitimate request is under the caps and must be sent;
// the flood must send exactly one SMS and spend nothing of anyone's budget. Prints and returns the
// handler's p50/p99 per store (memory: each instance its own; Redis: one shared redis-server).
import { createClient } from "redis";
import { createOtpHandler, memoryStore, redisStore } from "turkeysms-otp";
import { spawnSandbox } from "../sandbox/server.mjs";
import { startRedis } from "../tests/stores/redis-server.mjs";

const LEGIT = 1000;
const FLOOD = 5000;
const IPS = 50;
const CONCURRENCY = 50;
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

async function run(label, stores, sandboxUrl) {
  const instances = stores.map((store) =>
    createOtpHandler({
      apiKey: "bench-handler-key",
      baseUrl: sandboxUrl,
      maxRetries: 0,
      trustProxy: "cloudflare",
      // Each IP's legitimate share, plus the one code of the flood, which its IP pays for.
      perIp: { limit: LEGIT / IPS + 1, windowMs: 3_600_000 },
      globalPerMinute: 2 * LEGIT,
      store,
    }),
  );
  const prefix = String(Date.now() % 100_000).padStart(5, "0");
  const flooded = `9054${prefix}999`;
  // Every sixth request is legitimate, the rest the flood, until each runs out.
  const legit = Array.from({ length: LEGIT }, (_, n) => ({
    legit: true,
    mobile: `9053${prefix}${String(n).padStart(3, "0")}`,
    ip: `198.51.100.${n % IPS}`,
  }));
  const flood = Array.from({ length: FLOOD }, (_, n) => ({
    legit: false,
    mobile: flooded,
    ip: `198.51.100.${n % IPS}`,
  }));
  const jobs = [];
  while (legit.length || flood.length) {
    if (legit.length) jobs.push(legit.shift());
    for (let k = 0; k < 5 && flood.length; k++) jobs.push(flood.shift());
  }
  const times = [];
  const codes = { legit: {}, flood: {} };
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i];
      const started = performance.now();
      const response = await instances[i % instances.length](
        new Request("http://bench/otp/send", {
          method: "POST",
          headers: { "Content-Type": "application/json", "CF-Connecting-IP": job.ip },
          body: JSON.stringify({ mobile: `+${job.mobile}` }),
        }),
      );
      const { result_code: code } = await response.json();
      times.push(performance.now() - started);
      const bucket = codes[job.legit ? "legit" : "flood"];
      bucket[code] = (bucket[code] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const requests = (await (await fetch(`${sandboxUrl}/sandbox/requests`)).json()).requests;
  const sent = requests.filter((r) => [`9053${prefix}`, `9054${prefix}`].some((p) => r.body?.mobile?.startsWith(p)));
  const result = {
    store: label,
    requests: jobs.length,
    p50Ms: +quantile(times, 0.5).toFixed(2),
    p99Ms: +quantile(times, 0.99).toFixed(2),
    perSecond: Math.round(jobs.length / seconds),
    legitSent: codes.legit["TS-1024"] ?? 0,
    floodSent: codes.flood["TS-1024"] ?? 0,
    smsAtSandbox: sent.length,
    codes,
  };
  const ok = result.legitSent === LEGIT && result.floodSent === 1 && result.smsAtSandbox === LEGIT + 1;
  console.log(
    `handler load, ${label}: ${jobs.length} requests (${LEGIT} legitimate from ${IPS} IPs, a flood of ${FLOOD} for one number), p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.perSecond}/s; sent ${result.legitSent}/${LEGIT} legitimate, ${result.floodSent} of the flood, ${result.smsAtSandbox} SMS at the sandbox${ok ? "" : "  <-- WRONG"}`,
  );
  if (!ok) throw new Error(`handler load on ${label}: the caps did not hold ${JSON.stringify(result)}`);
  return result;
}

export async function handlerLoad() {
  const sandbox = await spawnSandbox(["--rate-limit", "1000000000"]);
  const redis = await startRedis();
  const clients = [];
  try {
    const memory = await run("memory (one per instance)", [memoryStore()], sandbox.url);
    for (let i = 0; i < 2; i++) {
      const client = createClient({ socket: { host: "127.0.0.1", port: redis.port }, disableOfflineQueue: true });
      await client.connect();
      clients.push(client);
    }
    const shared = await run(
      "Redis, two instances",
      clients.map((client) => redisStore(client, { prefix: `bench-${Date.now()}:` })),
      sandbox.url,
    );
    return [memory, shared];
  } finally {
    for (const client of clients) client.destroy();
    await redis.stop();
    sandbox.stop();
  }
}
