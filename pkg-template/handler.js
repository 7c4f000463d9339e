// createOtpHandler: a fetch-API handler (Request => Response) that keeps the TurkeySMS key on
// the server and stops the usual abuse of "send me a code" endpoints. It serves the same paths
// as TurkeySMS, so a page simply calls sendOtp({ baseUrl: "/api", mobile }) with no key.
// Every rule about numbers and texts is the package's own (validateOptions, normalizeMobile);
// this file only decides who may ask, how often, and what goes back.
//
// One source for every entry: the entries pass in the package's functions, and the build
// writes a CommonJS copy (handler.cjs) for require().

const TURNSTILE_SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/** Fixed-window counters in this isolate's memory: they protect one process or isolate only. */
export function memoryLimiterStore() {
  const windows = new Map();
  return {
    async hit(key, windowMs) {
      const now = Date.now();
      let w = windows.get(key);
      if (!w || w.resetAt <= now) {
        w = { count: 0, resetAt: now + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      if (windows.size > 50_000) for (const [k, v] of windows) if (v.resetAt <= now) windows.delete(k);
      return { count: w.count, resetAt: w.resetAt };
    },
  };
}

/**
 * The Workers Rate Limiting binding as a store. The binding keeps its own limit and period
 * (wrangler.toml); a refusal counts as over any limit of ours.
 */
export function rateLimitBindingStore(binding) {
  return {
    async hit(key, windowMs) {
      const { success } = await binding.limit({ key });
      return { count: success ? 1 : Number.MAX_SAFE_INTEGER, resetAt: Date.now() + windowMs };
    },
  };
}

/** The defaults that are not numbers; the numbers come from the Rust rules (`sdk.defaults()`). */
const SETTINGS = {
  prefix: "",
  allowedOrigins: [],
  trustProxy: "none",
  templates: {},
};

function envelope(status, code, message, headers = {}) {
  return new Response(JSON.stringify({ result: status < 300, result_code: code, result_message: message }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

async function readCapped(request, max) {
  const declared = Number(request.headers.get("content-length"));
  if (declared > max) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function clientIp(request, trust) {
  if (trust === "cloudflare") return request.headers.get("cf-connecting-ip");
  if (trust === "x-forwarded-for") return request.headers.get("x-forwarded-for")?.split(",")[0].trim() || null;
  return null;
}

/** The handler; `sdk` is the package's own functions, passed in by each entry. */
export function createHandler(config, sdk) {
  const defaults = { ...SETTINGS, ...sdk.defaults().handler };
  const c = {
    ...defaults,
    ...config,
    perNumber: { ...defaults.perNumber, ...config?.perNumber },
    perIp: { ...defaults.perIp, ...config?.perIp },
  };
  const store = c.store ?? memoryLimiterStore();
  const origins = new Set(c.allowedOrigins);
  const templates = Object.values(c.templates ?? {});

  async function limited(key, limit, windowMs, code, message) {
    const { count, resetAt } = await store.hit(key, windowMs);
    if (count <= limit) return null;
    const seconds = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
    return envelope(429, code, message, { "Retry-After": String(seconds) });
  }

  return async function handle(request) {
    const url = new URL(request.url);
    // Browsers send Origin on every POST, same-origin ones included: those are always welcome.
    const origin = request.headers.get("origin");
    const foreign = origin !== null && origin !== url.origin;
    const cors = foreign && origins.has(origin) ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" } : {};
    const withCors = (response) => {
      for (const [k, v] of Object.entries(cors)) response.headers.set(k, v);
      return response;
    };
    const kind =
      url.pathname === `${c.prefix}/otp/send`
        ? "standard"
        : url.pathname === `${c.prefix}/otp/detailed`
          ? "custom"
          : null;
    if (!kind) return withCors(envelope(404, "NOT_FOUND", `POST ${c.prefix}/otp/send or ${c.prefix}/otp/detailed`));
    if (foreign && !origins.has(origin))
      return envelope(403, "ORIGIN_NOT_ALLOWED", "This origin may not call this endpoint.");
    if (request.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          "Access-Control-Allow-Methods": "POST",
          "Access-Control-Allow-Headers": "Content-Type, Accept",
          "Access-Control-Max-Age": "600",
        },
      });
    }
    if (request.method !== "POST")
      return withCors(envelope(405, "METHOD_NOT_ALLOWED", "Use POST.", { Allow: "POST, OPTIONS" }));
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      return withCors(envelope(415, "UNSUPPORTED_MEDIA_TYPE", "Send Content-Type: application/json."));
    }
    const text = await readCapped(request, c.maxBodyBytes).catch(() => null);
    if (text === null)
      return withCors(envelope(413, "BODY_TOO_LARGE", `The body may be at most ${c.maxBodyBytes} bytes.`));
    let body;
    try {
      body = JSON.parse(text);
    } catch {}
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return withCors(envelope(400, "INVALID_JSON", "The body must be a JSON object."));

    // The browser sends what TurkeySMS would get, minus the key: the key is added here.
    const options = {
      apiKey: c.apiKey,
      baseUrl: c.baseUrl,
      mobile: body.mobile,
      lang: body.lang ?? undefined,
      digits: body.digits ?? undefined,
      timeoutMs: c.timeoutMs,
      maxRetries: c.maxRetries,
    };
    if (kind === "custom") {
      // Only server-side templates: a page must not turn this into an open SMS relay.
      const template = templates.find((t) => t.title === body.title && t.text === body.text);
      if (!template)
        return withCors(
          envelope(400, "UNKNOWN_TEMPLATE", "Custom texts must be one of the templates configured on the server."),
        );
      Object.assign(options, template);
    }
    const { issues } = sdk.validateOptions(options, kind);
    if (issues.length) return withCors(envelope(400, issues[0].code, issues[0].message));
    const mobile = sdk.normalizeMobile(options.mobile);
    if (!c.allowedCountries.some((cc) => mobile.startsWith(cc)))
      return withCors(envelope(403, "COUNTRY_NOT_ALLOWED", "Codes cannot be sent to this country."));

    if (c.turnstile) {
      const token = body["cf-turnstile-response"] ?? request.headers.get("cf-turnstile-response");
      if (!token) return withCors(envelope(403, "TURNSTILE_REQUIRED", "Complete the challenge first."));
      const form = new URLSearchParams({ secret: c.turnstile.secret, response: token });
      const ip = clientIp(request, c.trustProxy);
      if (ip) form.set("remoteip", ip);
      const verdict = await fetch(c.turnstile.siteverifyUrl ?? TURNSTILE_SITEVERIFY, { method: "POST", body: form })
        .then((r) => r.json())
        .catch(() => ({ success: false }));
      if (verdict?.success !== true)
        return withCors(envelope(403, "TURNSTILE_FAILED", "The challenge was not passed."));
    }

    const minute = 60_000;
    const refusal =
      (await limited(
        "global",
        c.globalPerMinute,
        minute,
        "GLOBAL_LIMIT",
        "Too many codes are being sent; try again in a minute.",
      )) ??
      (clientIp(request, c.trustProxy) !== null
        ? await limited(
            `ip:${clientIp(request, c.trustProxy)}`,
            c.perIp.limit,
            c.perIp.windowMs,
            "IP_LIMIT",
            "Too many codes from this address; try again later.",
          )
        : null) ??
      (await limited(
        `cooldown:${mobile}`,
        1,
        c.cooldownMs,
        "COOLDOWN",
        "A code was just sent to this number; wait before asking again.",
      )) ??
      (await limited(
        `number:${mobile}`,
        c.perNumber.limit,
        c.perNumber.windowMs,
        "NUMBER_LIMIT",
        "Too many codes for this number; try again later.",
      ));
    if (refusal) return withCors(refusal);

    try {
      const result = await (kind === "custom" ? sdk.sendCustomOtp : sdk.sendOtp)(options);
      return withCors(envelope(200, result.code, result.message));
    } catch (error) {
      // Only the code goes back: TurkeySMS's text and the SDK's message name internals.
      const status = error.retryable ? 503 : 502;
      return withCors(envelope(status, error.code, "The code could not be sent."));
    }
  };
}
