// What the handler's routes share: the JSON envelope they answer with, and reading a body with
// a size cap and a deadline.

/** TurkeySMS's envelope ({ result, result_code, result_message }) plus any `extra` fields. */
export function envelope(status, code, message, headers = {}, extra = {}) {
  return new Response(JSON.stringify({ result: status < 300, result_code: code, result_message: message, ...extra }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

/** The body as text; null when larger than `max`; "timeout" when it does not arrive in time. */
export async function readBody(request, max, timeoutMs) {
  if (Number(request.headers.get("content-length")) > max) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), late]);
      if (next === "timeout") return "timeout";
      if (next.done) break;
      size += next.value.byteLength;
      if (size > max) return null;
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** 905321234567 -> 90532*****67: enough for an operator to see a pattern, not to message anyone. */
export const mask = (mobile) =>
  mobile.length > 7 ? mobile.slice(0, 5) + "*".repeat(mobile.length - 7) + mobile.slice(-2) : "*";

/**
 * Counts one in each counter, in the store: null when there was room, otherwise the answer to
 * give (429 naming the full counter, or 503 when the store failed: it fails closed).
 */
export async function reserve(ctx, counters, refusals) {
  let reserved;
  try {
    reserved = await ctx.c.store.reserve(counters, Date.now());
    if (reserved?.ok !== true && (reserved?.ok !== false || typeof reserved.key !== "string")) {
      throw new Error(`the store's reserve answered ${JSON.stringify(reserved)}, not a reservation`);
    }
  } catch (error) {
    return ctx.storeFailed(error);
  }
  if (reserved.ok) return null;
  const [code, message] = refusals[reserved.key.split(":")[0]] ?? refusals.global;
  const seconds = String(Math.max(1, Math.ceil(reserved.retryAfterMs / 1000)));
  return ctx.answer(429, code, message, { "Retry-After": seconds });
}
