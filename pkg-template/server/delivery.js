// Delivery you can see: TurkeySMS's signed webhooks, and the status of a send by its id.
//
// A webhook, in this order (nothing changes before the last step):
//   1. the signature: X-TurkeySMS-Signature is `sha256=<hex HMAC-SHA256 of the raw body>` with
//      the webhook secret, checked over the exact bytes with WebCrypto (constant time);
//   2. the JSON: an object with `event_type`, `timestamp` and `data`;
//   3. freshness, from the body's own `timestamp` (signed), never the X-TurkeySMS-Timestamp
//      header (unsigned: anyone can renew it, and its format is not documented);
//   4. the event, in one store call: an unknown sms_id is acknowledged and changes nothing; the
//      same raw body again within the tolerance is a duplicate; a status moves forward only; a
//      send that fails or expires while it is its number's latest frees the number (its cooldown
//      released, its pending code dropped).
// Every acknowledged event reaches onEvent.

import { refusal, storeFailure, storeUnavailable } from "./answers.js";

/** What each event says of the SMS; `sms.failed` with status "expired" is EXPIRED. */
const STATUSES = { "sms.sent": "SENT", "sms.delivered": "DELIVERED", "sms.failed": "FAILED" };
/** Events acknowledged without effect. */
const NOTICES = ["key.test", "otp.verified"];
const encoder = new TextEncoder();
const hex = (bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The bytes of `sha256=<64 hex>`, or null. */
function signatureBytes(header) {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  return m ? Uint8Array.from(m[1].match(/../g), (h) => Number.parseInt(h, 16)) : null;
}

/** A header of `headers` (a Headers, or a plain object of the raw request's headers). */
function header(headers, name) {
  if (typeof headers?.get === "function") return headers.get(name);
  const found = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  const value = found?.[1];
  return Array.isArray(value) ? value[0] : (value ?? null);
}

/**
 * The delivery side of a service over its checked configuration `c`; `keyer()` gives the store
 * keys of its namespace, `emit` tells onEvent.
 */
export function deliveryOf(c, { keyer, emit }) {
  const w = c.webhook;
  let key;
  const hmacKey = () => {
    key ??= crypto.subtle.importKey("raw", encoder.encode(w.secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    return key;
  };

  /** What a send leaves for its status (putCode's `delivery`), or undefined without `webhook`. */
  function of(k, id, mobile, smsId, cooldown) {
    if (!w) return undefined;
    return {
      id: k(`send:${id}`),
      sms: smsId === undefined ? null : k(`sms:${smsId}`),
      latest: k(`latest:${mobile}`),
      cooldown: cooldown ? { key: cooldown.key, windowMs: cooldown.windowMs } : null,
    };
  }

  /** The status of the send `id`: QUEUED, SENT, DELIVERED, FAILED or EXPIRED. */
  async function status(id) {
    if (!w) throw refusal("INVALID_CONFIG", { message: "status: the service has no `webhook` option." });
    // Ids are 22 base64url characters (newId): anything else was never issued.
    if (typeof id !== "string" || !/^[\w-]{22}$/.test(id)) throw refusal("UNKNOWN_ID");
    const k = await keyer();
    let found;
    try {
      found = await c.store.delivery(k(`send:${id}`), Date.now());
    } catch (error) {
      throw storeFailure(emit, error);
    }
    if (!found) throw refusal("UNKNOWN_ID");
    return { id, status: found.status };
  }

  /**
   * A webhook from TurkeySMS: its raw `body` (bytes or text) and its `headers`.
   * @param {{ body?: Uint8Array | string, headers?: Headers | Record<string, string | string[] | undefined> }} input
   */
  async function webhook({ body, headers } = {}) {
    if (!w) throw refusal("INVALID_CONFIG", { message: "webhook: the service has no `webhook` option." });
    const started = Date.now();
    const tell = (event) => emit({ client: null, mobile: null, ms: Date.now() - started, ...event });
    // A copy on its own ArrayBuffer: what WebCrypto takes, whatever buffer the caller's bytes sit in.
    const raw =
      typeof body === "string" ? encoder.encode(body) : body instanceof Uint8Array ? new Uint8Array(body) : null;
    const signature = signatureBytes(header(headers, "x-turkeysms-signature"));
    const valid =
      raw !== null && signature !== null && (await crypto.subtle.verify("HMAC", await hmacKey(), signature, raw));
    if (!valid) {
      tell({ type: "refused", code: "SIGNATURE_INVALID", status: 401 });
      throw refusal("SIGNATURE_INVALID");
    }
    let event;
    try {
      event = JSON.parse(new TextDecoder().decode(raw));
    } catch {}
    const at = Date.parse(event?.timestamp);
    if (
      typeof event !== "object" ||
      event === null ||
      typeof event.event_type !== "string" ||
      typeof event.timestamp !== "string" ||
      !Number.isFinite(at) ||
      (event.data !== undefined && (typeof event.data !== "object" || event.data === null))
    ) {
      tell({ type: "refused", code: "INVALID_EVENT", status: 400 });
      throw refusal("INVALID_EVENT");
    }
    if (Math.abs(Date.now() - at) > w.toleranceMs) {
      tell({ type: "refused", code: "EVENT_STALE", status: 400, event: event.event_type });
      throw refusal("EVENT_STALE");
    }
    const type = event.event_type;
    const smsId = event.data?.sms_id;
    let next = STATUSES[type];
    if (type === "sms.failed" && String(event.data?.status).toLowerCase() === "expired") next = "EXPIRED";
    if (!next || (typeof smsId !== "string" && typeof smsId !== "number")) {
      tell({ type: "webhook", code: "ACCEPTED", event: type, result: NOTICES.includes(type) ? "notice" : "ignored" });
      return { result: "ignored" };
    }
    const k = await keyer();
    const digest = hex(await crypto.subtle.digest("SHA-256", raw));
    let outcome;
    try {
      outcome = await c.store.deliveryEvent(
        k(`sms:${smsId}`),
        next,
        k(`event:${digest}`),
        2 * w.toleranceMs,
        Date.now(),
      );
    } catch (error) {
      tell({ type: "store-error", code: "STORE_UNAVAILABLE", status: 503, error: String(error?.message ?? error) });
      throw storeUnavailable();
    }
    tell({
      type: "webhook",
      code: "ACCEPTED",
      event: type,
      result: outcome.result,
      ...(outcome.status && { delivery: outcome.status }),
      ...(outcome.freed && { freed: true }),
    });
    return { result: outcome.result };
  }

  return { of, status, webhook };
}
