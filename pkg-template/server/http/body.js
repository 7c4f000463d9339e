// What the handler's routes share: the JSON envelope they answer with, and reading a body with a
// size cap and a deadline.

/** TurkeySMS's envelope ({ result, result_code, result_message }) plus any `extra` fields. */
export function envelope(status, code, message, headers = {}, extra = {}) {
  return new Response(JSON.stringify({ result: status < 300, result_code: code, result_message: message, ...extra }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

/** The body's bytes; null when larger than `max`; "timeout" when it does not arrive in time. */
export async function readBody(request, max, timeoutMs) {
  if (Number(request.headers.get("content-length")) > max) return null;
  if (!request.body) return new Uint8Array(0);
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
  return bytes;
}
