// The yardstick for `make bench`: a hand-written plain-JavaScript TurkeySMS OTP client that does
// the same work as the package — the same validation rules, the same request, the same envelope
// reading, timeouts and retries — so the comparison measures wasm's cost, not missing features.
// It is not part of the package and nothing else uses it.

const GSM =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

class OtpError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.name = "OtpError";
    this.code = code;
    this.retryable = extra.retryable ?? false;
    this.attempts = extra.attempts ?? 0;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.field !== undefined) this.field = extra.field;
  }
}

export function normalizeMobile(input) {
  if (typeof input !== "string" || input.length > 64)
    throw new OtpError("INVALID_MOBILE", "mobile must be a phone number", { field: "mobile" });
  let s = input.trim();
  const plus = s.startsWith("+");
  if (plus) s = s.slice(1);
  let digits = "";
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (code >= 48 && code <= 57) digits += c;
    else if (code >= 0x660 && code <= 0x669) digits += String(code - 0x660);
    else if (code >= 0x6f0 && code <= 0x6f9) digits += String(code - 0x6f0);
    else if (code >= 0xff10 && code <= 0xff19) digits += String(code - 0xff10);
    else if (!/[\s\-.()/]/.test(c))
      throw new OtpError("INVALID_MOBILE", "mobile may contain only digits", { field: "mobile" });
  }
  if (!digits) throw new OtpError("INVALID_MOBILE", "mobile is empty", { field: "mobile" });
  let intl;
  if (plus) {
    if (digits[0] === "0") throw new OtpError("INVALID_MOBILE", "0 after +", { field: "mobile" });
    intl = digits;
  } else if (digits.startsWith("00")) intl = digits.slice(2);
  else if (digits[0] === "0") return turkish(`90${digits.slice(1)}`, digits.length === 11);
  else if (digits.length === 10 && digits[0] === "5") return `90${digits}`;
  else intl = digits;
  if (intl.startsWith("90")) return turkish(intl, true);
  if (intl[0] === "0" || intl.length < 8 || intl.length > 15 || (intl.length === 10 && intl[0] === "5"))
    throw new OtpError("INVALID_MOBILE", "not an international number", { field: "mobile" });
  return intl;
}

function turkish(wire, lengthOk) {
  if (!lengthOk || wire.length !== 12)
    throw new OtpError("INVALID_MOBILE", "not a Turkish mobile", { field: "mobile" });
  if (wire[2] !== "5") throw new OtpError("INVALID_MOBILE", "a landline", { field: "mobile" });
  return wire;
}

function parseBaseUrl(text) {
  const url = text.trim();
  const m = /^(https?):\/\/([^/?#@\s\\]+)(\/[^?#\s\\]*)?$/i.exec(url);
  if (!m) throw new OtpError("INVALID_BASE_URL", "baseUrl must be https://host[/prefix]", { field: "baseUrl" });
  const host = m[2].toLowerCase();
  const hostname = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
  const loopback =
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
  if (m[1].toLowerCase() === "http" && !loopback)
    throw new OtpError("INVALID_BASE_URL", "http only for loopback", { field: "baseUrl" });
  const bare = hostname.replace(/\.$/, "");
  return {
    origin: `${m[1].toLowerCase()}://${host}`,
    prefix: (m[3] ?? "").replace(/\/+$/, ""),
    turkeysms: bare === "turkeysms.com.tr" || bare.endsWith(".turkeysms.com.tr"),
  };
}

export function validateOptions(options, kind) {
  const issues = [];
  const issue = (field, code, message) => issues.push({ field, code, message });
  if (typeof options !== "object" || options === null || Array.isArray(options))
    return { ok: false, issues: [{ field: "options", code: "INVALID_OPTIONS", message: "options must be an object" }] };
  let base;
  try {
    base = parseBaseUrl(options.baseUrl ?? "https://api.turkeysms.com.tr");
  } catch (e) {
    issue("baseUrl", e.code, e.message);
  }
  const key = options.apiKey;
  if (key !== undefined && key !== null && typeof key !== "string")
    issue("apiKey", "INVALID_OPTIONS", "apiKey must be a string");
  else if (!key?.trim() && (!base || base.turkeysms)) issue("apiKey", "MISSING_API_KEY", "apiKey is missing");
  let mobile;
  try {
    mobile = normalizeMobile(options.mobile);
  } catch (e) {
    issue("mobile", e.code, e.message);
  }
  const lang =
    options.lang === undefined || options.lang === null
      ? undefined
      : { 0: 0, 1: 1, 2: 2, en: 0, tr: 1, ar: 2 }[
          typeof options.lang === "string" ? options.lang.trim().toLowerCase() : options.lang
        ];
  if (lang === undefined && options.lang != null) issue("lang", "INVALID_LANG", "lang must be 0, 1, 2, en, tr or ar");
  if (options.digits != null && ![4, 5, 6].includes(options.digits))
    issue("digits", "INVALID_DIGITS", "digits must be 4, 5 or 6");
  if (kind === "custom") {
    const t = options.title;
    if (typeof t !== "string" || !t.trim() || t.length > 11 || !/^[A-Za-z0-9 .-]+$/.test(t) || t !== t.trim())
      issue("title", "INVALID_TITLE", "title must be your Sender ID");
    const text = options.text;
    if (typeof text !== "string" || !text.trim() || [...text].length > 1000)
      issue("text", "INVALID_TEXT", "text is missing or too long");
    else if (!text.includes("TS-CODE")) issue("text", "MISSING_PLACEHOLDER", "text must contain TS-CODE");
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2 ** 31 - 1)
    issue("timeoutMs", "INVALID_OPTIONS", "timeoutMs out of range");
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10)
    issue("maxRetries", "INVALID_OPTIONS", "maxRetries out of range");
  return {
    ok: issues.length === 0,
    issues,
    request: issues.length ? undefined : { base, key, mobile, lang, timeoutMs, maxRetries },
  };
}

export function estimateSegments(text, digits = 6) {
  const rendered = text.replaceAll("TS-CODE", "0".repeat(digits));
  let septets = 0;
  for (const c of rendered) {
    if (GSM.includes(c)) septets += 1;
    else if ("^{}\\[~]|€\f".includes(c)) septets += 2;
    else
      return {
        encoding: "UCS-2",
        characters: rendered.length,
        segments: rendered.length <= 70 ? 1 : Math.ceil(rendered.length / 67),
      };
  }
  return {
    encoding: "GSM-7",
    characters: septets,
    segments: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153),
  };
}

async function send(options, kind, viaRequest = false) {
  const { ok, issues, request } = validateOptions(options, kind);
  if (!ok) throw new OtpError(issues[0].code, issues[0].message, { field: issues[0].field });
  const body = { mobile: request.mobile };
  if (request.key) body.api_key = request.key;
  if (kind === "custom") Object.assign(body, { title: options.title, text: options.text });
  if (request.lang !== undefined) body.lang = request.lang;
  if (options.digits != null) body.digits = options.digits;
  const url = request.base.origin + request.base.prefix + (kind === "custom" ? "/otp/detailed" : "/otp/send");
  for (let attempt = 1; ; attempt++) {
    let failure;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const init = {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
        signal: controller.signal,
      };
      const response = await (viaRequest ? fetch(new Request(url, init)) : fetch(url, init));
      const text = await response.text();
      let raw;
      try {
        raw = JSON.parse(text);
      } catch {}
      const envelope =
        raw &&
        typeof raw === "object" &&
        !Array.isArray(raw) &&
        typeof raw.result === "boolean" &&
        typeof raw.result_code === "string"
          ? raw
          : null;
      if (response.ok && envelope?.result)
        return {
          code: envelope.result_code,
          message: envelope.result_message ?? "",
          mobile: request.mobile,
          smsId: raw.sms_id,
          segments: raw.number_of_sms,
          raw,
        };
      failure =
        envelope && !envelope.result
          ? {
              code: envelope.result_code,
              status: response.status,
              retryable: response.status >= 500 || envelope.result_code === "TS-1060",
            }
          : {
              code: response.ok ? "BAD_RESPONSE" : "HTTP_ERROR",
              status: response.status,
              retryable: response.status >= 500,
            };
    } catch {
      failure = { code: controller.signal.aborted ? "TIMEOUT" : "NETWORK", retryable: true };
    } finally {
      clearTimeout(timer);
    }
    if (!failure.retryable || attempt > request.maxRetries)
      throw new OtpError(failure.code, `failed: ${failure.code}`, { ...failure, attempts: attempt });
    const delay = Math.min(
      (failure.code === "TS-1060" ? 2000 : 250) * 2 ** (attempt - 1),
      failure.code === "TS-1060" ? 16000 : 4000,
    );
    await new Promise((r) => setTimeout(r, delay / 2 + (Math.random() * delay) / 2));
  }
}

export const sendOtp = (options) => send(options, "standard");
export const sendCustomOtp = (options) => send(options, "custom");

// The same client handing fetch a Request object, as gloo-net must (its send() takes a
// Request; fetch then copies it, body and signal included): the floor for any gloo-net client.
export const sendOtpViaRequest = (options) => send(options, "standard", true);
