/** `0` English · `1` Turkish · `2` Arabic/Unicode, or their names. */
export type Lang = 0 | 1 | 2 | "en" | "tr" | "ar";

/** Length of the generated code. TurkeySMS's default is 6. */
export type Digits = 4 | 5 | 6;

/** Options shared by both calls. */
export interface SendOtpOptions {
  /** Your TurkeySMS V4 API key (sent as `api_key` in the body). Required for the TurkeySMS API; may be omitted when `baseUrl` is your own proxy that adds it. */
  apiKey?: string | undefined;
  /** The recipient, as people type it: `"+90 532 123 45 67"`, `"0532 123 4567"`, `"5321234567"`, `"+49 151…"`. Sent normalised (`905321234567`). */
  mobile: string;
  /** Language of the standard template; omitted from the request when not given. */
  lang?: Lang | undefined;
  /** Code length; omitted from the request when not given (server default 6). */
  digits?: Digits | undefined;
  /** Default `https://api.turkeysms.com.tr`. `http:` is accepted only for loopback hosts. */
  baseUrl?: string | undefined;
  /** Per attempt, in milliseconds. Default 10000. */
  timeoutMs?: number | undefined;
  /** Retries of transient failures (network, timeout, 5xx, TS-1060). Default 2; 0 disables. */
  maxRetries?: number | undefined;
  /** Retry only what surely did not reach TurkeySMS (TS-1060, its own refusal): never a timeout, a network error or a 5xx, which may have sent the SMS. Default false; `createOtpService` always sets it. */
  retryUnsentOnly?: boolean | undefined;
  /** Aborts the whole call, retries and waits included. */
  signal?: AbortSignal | undefined;
  /** In a browser, allow sending `apiKey` straight to TurkeySMS. Every visitor can read that key. */
  dangerouslyAllowBrowser?: boolean | undefined;
  /**
   * The fetch to send with, instead of the global one: for proxies, instrumentation and tests.
   * Called as `fetch(url, init)` and must resolve to a fetch-API `Response` (any realm or library).
   * Whatever it throws or rejects with becomes an `OtpError` (`NETWORK`).
   */
  fetch?: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
  /** For your own endpoint (`createOtpHandler` with Turnstile): the widget's token, sent as `cf-turnstile-response`. */
  turnstileToken?: string | undefined;
}

/** Options of `sendCustomOtp`: your own text with the `TS-CODE` placeholder. */
export interface SendCustomOtpOptions extends SendOtpOptions {
  /** Your approved Sender ID: 1–11 ASCII letters/digits (spaces, `.`, `-` allowed). */
  title: string;
  /** The message; must contain `TS-CODE`, which TurkeySMS replaces with the code. */
  text: string;
}

/** A delivered OTP. */
export interface OtpResult {
  /** TurkeySMS's `result_code`, e.g. `"TS-1024"`. */
  code: string;
  /** TurkeySMS's `result_message` (`""` when absent). */
  message: string;
  /** The normalised number that was sent. */
  mobile: string;
  /** `sms_id`, when present. */
  smsId?: number | string;
  /** `number_of_sms` (segments billed), when present. */
  segments?: number;
  /** `otp_code`, when TurkeySMS returns the generated code. */
  otpCode?: string;
  /** The whole parsed response body. */
  raw: Record<string, unknown>;
}

/** Options of `verifyOtp`: the code someone typed back, checked by your `createOtpHandler` (with `verify`). */
export interface VerifyOtpOptions {
  /** Your handler's address, e.g. `"/api"` in a page. Required: TurkeySMS itself checks no codes. */
  baseUrl: string;
  /** The number the code was sent to, in any spelling `sendOtp` accepts. */
  mobile: string;
  /** The 4 to 6 digits from the SMS (a string: a number would lose leading zeros). Spaces around it are ignored. */
  code: string;
  /** Aborts the check. */
  signal?: AbortSignal | undefined;
  /** In milliseconds. Default 10000. A check is never retried (a first try may have used the code). */
  timeoutMs?: number | undefined;
  /** The fetch to send with, as for `sendOtp`. */
  fetch?: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
}

/** A code the handler accepted. */
export interface VerifyOtpResult {
  code: "VERIFIED";
  /** The signed token (a JWT, HS256) for your backend's `verifyOtpToken`; absent only when your `onVerified` answered with its own body. */
  token?: string;
  /** The normalised number. */
  mobile: string;
}

/** What `verifyOtpToken` resolves to: the token's claims. */
export interface OtpTokenClaims {
  /** The verified number, TurkeySMS's form (`905321234567`). */
  sub: string;
  /** The same number, by name. */
  mobile: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
  /** A random id, for backends that accept each token once. */
  jti: string;
  /** Marks it as this package's OTP token: `verifyOtpToken` accepts no other JWT (its header's `typ` is `turkeysms-otp+jwt`). */
  token_use: "turkeysms-otp";
  iss?: string;
  aud?: string | string[];
}

/** Codes the SDK reports on its own. */
export type LocalErrorCode =
  | "INVALID_OPTIONS"
  | "MISSING_API_KEY"
  | "INVALID_MOBILE"
  | "INVALID_LANG"
  | "INVALID_DIGITS"
  | "INVALID_TITLE"
  | "INVALID_TEXT"
  | "MISSING_PLACEHOLDER"
  | "INVALID_BASE_URL"
  | "INVALID_CODE"
  | "BROWSER_KEY_EXPOSED"
  | "TIMEOUT"
  | "ABORTED"
  | "NETWORK"
  | "HTTP_ERROR"
  | "BAD_RESPONSE"
  | "NOT_READY"
  | "INTERNAL_ERROR"
  | "INVALID_CONFIG"
  | "TOKEN_INVALID"
  | "TOKEN_EXPIRED";

/** Codes `createOtpHandler` answers with; a page's `sendOtp` through it rejects with them. */
export type HandlerErrorCode =
  | "NOT_FOUND"
  | "ORIGIN_NOT_ALLOWED"
  | "METHOD_NOT_ALLOWED"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "BODY_TOO_LARGE"
  | "BODY_TIMEOUT"
  | "INVALID_JSON"
  | "UNKNOWN_TEMPLATE"
  | "COUNTRY_NOT_ALLOWED"
  | "TURNSTILE_REQUIRED"
  | "TURNSTILE_FAILED"
  | "COOLDOWN"
  | "NUMBER_LIMIT"
  | "IP_LIMIT"
  | "GLOBAL_LIMIT"
  | "PREFIX_SUSPENDED"
  | "STORE_UNAVAILABLE"
  | "UNAVAILABLE"
  | "CODE_INVALID"
  | "CODE_EXPIRED"
  | "TOO_MANY_ATTEMPTS"
  | "VERIFY_UNAVAILABLE"
  | "UNKNOWN_ID"
  | "SIGNATURE_INVALID"
  | "INVALID_EVENT"
  | "EVENT_STALE";

/** A send's delivery, as TurkeySMS's webhooks report it: `queued → sent → delivered`, `queued → failed`, `sent → failed`, `sent → expired`. */
export type DeliveryStatus = "QUEUED" | "SENT" | "DELIVERED" | "FAILED" | "EXPIRED";

/** Every code an `OtpError` can carry: the SDK's own, the handler's, or TurkeySMS's `TS-####`. */
export type OtpErrorCode = LocalErrorCode | HandlerErrorCode | `TS-${string}`;

/** What every call rejects (or throws) with: `instanceof OtpError`, and `name` is `"OtpError"`. */
export declare class OtpError extends Error {
  private constructor();
  name: "OtpError";
  code: OtpErrorCode;
  /** True only for what TurkeySMS's reliability rules allow retrying. */
  retryable: boolean;
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** For validation errors: the option at fault. */
  field?: string;
  /** How many HTTP requests were made (0 for validation errors). */
  attempts: number;
  /** Seconds to wait, from the last answer's `Retry-After` header (a handler's `COOLDOWN`, `NUMBER_LIMIT`, `STORE_UNAVAILABLE`, …), when it had one. */
  retryAfter?: number;
  /** The scheme, host and port of the server a request went to (`https://shop.example`), for logs: the message does not name it when it is a handler's, written to show a person. Absent before any request. */
  origin?: string;
  /** What `JSON.stringify` shows: the properties above and the message; never the key. */
  toJSON(): {
    name: "OtpError";
    code: OtpErrorCode;
    message: string;
    status?: number;
    retryable: boolean;
    field?: string;
    attempts: number;
    retryAfter?: number;
    origin?: string;
  };
}

/** True when `value` is one of the package's errors: narrows a `catch (error)` to `OtpError`. */
export declare function isOtpError(value: unknown): value is OtpError;

/** One problem found by `validateOptions`. */
export interface ValidationIssue {
  field: string;
  code: LocalErrorCode;
  message: string;
}

/** How a text travels. */
export interface SegmentEstimate {
  encoding: "GSM-7" | "UCS-2";
  /** Characters as the SMS counts them (GSM extension characters and emoji count two). */
  characters: number;
  segments: number;
}

/** Sends an OTP with TurkeySMS's standard template (`POST {baseUrl}/otp/send`). */
export declare function sendOtp(options: SendOtpOptions): Promise<OtpResult>;

/** Sends an OTP with your own text (`POST {baseUrl}/otp/detailed`). */
export declare function sendCustomOtp(options: SendCustomOtpOptions): Promise<OtpResult>;

/** Checks a code with your `createOtpHandler` (`POST {baseUrl}/otp/verify`); a malformed code is refused here (`INVALID_CODE`), before any request. Rejects with the handler's code: `CODE_INVALID`, `CODE_EXPIRED`, `TOO_MANY_ATTEMPTS`, `NUMBER_LIMIT`, … */
export declare function verifyOtp(options: VerifyOtpOptions): Promise<VerifyOtpResult>;

/** `getOtpStatus`'s options: your handler (`createOtpHandler` with `webhook`) and the `id` a send answered with. No key is sent. */
export interface GetOtpStatusOptions {
  /** Your handler, e.g. `"/api"` (resolved against the page's address). */
  baseUrl: string;
  /** The `id` your handler's send answered with: 22 base64url characters. */
  id: string;
  signal?: AbortSignal | undefined;
  /** Per attempt. Default 10000. */
  timeoutMs?: number | undefined;
  fetch?: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
}

/** A send's delivery status: keep asking while it is `QUEUED` or `SENT`; on `FAILED` or `EXPIRED` the person may ask for a new code at once. */
export interface OtpStatusResult {
  code: DeliveryStatus;
  id: string;
}

/** Asks your handler for a send's delivery status (`POST {baseUrl}/otp/status`). An id your handler does not know rejects with `UNKNOWN_ID` (404). */
export declare function getOtpStatus(options: GetOtpStatusOptions): Promise<OtpStatusResult>;

/** For your backend: the claims of a token `/otp/verify` answered with. Rejects with an `OtpError`: `TOKEN_INVALID`, `TOKEN_EXPIRED`, or `INVALID_OPTIONS` for a bad secret. */
export declare function verifyOtpToken(
  token: string,
  options: { secret: string | string[] | undefined; issuer?: string | undefined; audience?: string | undefined },
): Promise<OtpTokenClaims>;

/** Normalises a typed number to TurkeySMS's form (`"905321234567"`). Throws an `OtpError` (`INVALID_MOBILE`). */
export declare function normalizeMobile(input: string): string;

/** Normalises a typed code to ASCII digits (`" ١٢٣٤٥٦ "` → `"123456"`). Throws an `OtpError` (`INVALID_CODE`). */
export declare function normalizeCode(input: string): string;

/** Every problem with a set of options, for forms; the same rules the calls apply. */
export declare function validateOptions(
  options: Partial<SendCustomOtpOptions> | Partial<VerifyOtpOptions> | Partial<GetOtpStatusOptions>,
  kind: "standard" | "custom" | "verify" | "status",
): { ok: boolean; issues: ValidationIssue[] };

/** Encoding, characters and segments of a text, with `TS-CODE` counted as `digits` digits (default 6). */
export declare function estimateSegments(text: string, digits?: Digits): SegmentEstimate;

/** Resolves when the wasm is loaded. Node, Bun, Deno and Workers load it on the first call (or here); in browsers call it once before the synchronous helpers. Safe to call any number of times. */
export declare function ready(): Promise<void>;

/** One counter of a reservation: at most `limit` counts per window of `windowMs`. */
export interface StoreCounter {
  key: string;
  limit: number;
  windowMs: number;
  /** 1 (the default), or 0: the counter must have room, and nothing is counted in it. */
  cost?: 0 | 1;
  /** The pumping guard: this counter is a number range's record (`limit` is `minSends`), kept in the list `list` (see `guardStats`). Full while the range is suspended, or when `sends >= limit` and `verified < minConversion * sends`: then the reservation starts a suspension of `suspendMs`. */
  guard?: { minConversion: number; suspendMs: number; list: string };
}

/** What a store answers to a reservation: counted in every counter, or refused by the first full one; `suspended` only when this reservation started a range's suspension. */
export type Reservation =
  | { ok: true }
  | { ok: false; key: string; retryAfterMs: number; suspended?: { sends: number; verified: number } };

/** One live range record of the pumping guard, as a store lists it. */
export interface StoreGuardRecord {
  key: string;
  sends: number;
  verified: number;
  /** 0 when the range is not suspended. */
  suspendedForMs: number;
}

/** What a store answers to `checkCode`: only a live code's check counted anything. */
export type CodeCheck =
  | { state: "none" | "expired" | "exhausted" | "verified" }
  | { state: "wrong"; attempts: number }
  | { state: "refused"; key: string; retryAfterMs: number };

/**
 * Where the service keeps its counters and (with `verify`) the pending codes' keyed hashes. Each
 * method is one round trip, atomic in the store. `reserve` counts one in every counter, or none
 * when any is full; `release` takes one back (a send that failed). `putCode` replaces a number's
 * pending code (the same hash again changes nothing: its tries stay counted, and a used code
 * stays used); `checkCode` finds the live code, reserves `counters`, counts a try, compares with
 * `hashes` and uses the code up, all at once, and counts nothing when no code is live. A failure
 * rejects, and the service then refuses with 503 `STORE_UNAVAILABLE`: it never sends without
 * counting, nor accepts a code without the store.
 */
export interface OtpHandlerStore {
  reserve(counters: StoreCounter[], nowMs: number): Promise<Reservation>;
  release(counters: StoreCounter[], nowMs: number): Promise<void>;
  putCode?(
    key: string | null,
    hash: string | null,
    ttlMs: number,
    nowMs: number,
    delivery?: StoreDelivery,
  ): Promise<void>;
  checkCode?(
    key: string,
    hashes: string[],
    maxAttempts: number,
    counters: StoreCounter[],
    nowMs: number,
    /** With `guard`: the number's range record, which a `verified` answer counts one more `verified` in (when live, never past its sends). */
    guardKey?: string,
  ): Promise<CodeCheck>;
  /** With `guard`: the live range records kept in `list`. */
  guardStats?(list: string, nowMs: number): Promise<StoreGuardRecord[]>;
  delivery?(id: string, nowMs: number): Promise<{ status: DeliveryStatus } | null>;
  deliveryEvent?(
    sms: string,
    status: DeliveryStatus,
    event: string,
    eventTtlMs: number,
    nowMs: number,
  ): Promise<{ result: "unknown" | "duplicate" | "ignored" | "applied"; status?: DeliveryStatus; freed?: boolean }>;
}

/** What a send leaves for its delivery status (with `webhook`): the keys of its record, of TurkeySMS's `sms_id` and of the number's latest send, and its cooldown counter. */
export interface StoreDelivery {
  id: string;
  sms: string | null;
  latest: string;
  cooldown: { key: string; windowMs: number } | null;
}
/** The same interface, by the name of the service it serves. */
export type OtpServiceStore = OtpHandlerStore;

/** `verify`: keep a keyed hash of each sent code, and check codes (`service.check`, `POST <prefix>/otp/verify`). */
export interface OtpVerifyConfig {
  /** At least 32 bytes, random, from a secret (e.g. `openssl rand -base64 32`); a guessable one (a shorter string repeated, under 128 bits of variety) throws `INVALID_CONFIG`. Or a list, newest first, to rotate: the first keys new codes and signs tokens, all of them check codes and tokens. `undefined` (an unset variable) throws `INVALID_CONFIG`. */
  secret: string | string[] | undefined;
  /** How long a code can be checked. Default 300 000 ms (5 minutes). */
  codeTtlMs?: number | undefined;
  /** Tries per code, the right one included: the 5th wrong try answers `TOO_MANY_ATTEMPTS`, and so does every try after it. Default 5. */
  maxAttempts?: number | undefined;
  /** Checks of live codes per number per window, across its codes. Default 10 per hour. */
  perNumber?: { limit?: number; windowMs?: number } | undefined;
  /** Checks of live codes per client IP per window (only with a client address). Default 60 per hour; an IPv6 client counts per /64, and its /48 gets 4 times that. */
  perIp?: { limit?: number; windowMs?: number } | undefined;
  /** How long a token is valid (the handler's only). Default 600 000 ms (10 minutes). */
  tokenTtlMs?: number | undefined;
  /** The token's `iss`, checked by `verifyOtpToken` when you pass it there too (the handler's only). */
  issuer?: string | undefined;
  /** The token's `aud`, checked by `verifyOtpToken` when you pass it there too (the handler's only). */
  audience?: string | undefined;
  /** Called after a right code with the token's claims, the request and the token (the handler's only); may return its own Response (a session cookie, say) instead of `{ result_code: "VERIFIED", token }`. */
  onVerified?:
    | ((
        claims: OtpTokenClaims,
        request: Request,
        token: string,
      ) => Response | undefined | Promise<Response | undefined>)
    | undefined;
}

/** `guard`: the SMS-pumping guard. Each field has its default; `{}` turns it on with them. */
export interface OtpGuardConfig {
  /** Sends to a range in its window before its conversion is judged: a whole number ≥ 1. Default 20. */
  minSends?: number | undefined;
  /** The least share of a range's codes typed back, from 0 to 1. Default 0.2. */
  minConversion?: number | undefined;
  /** A range's window, from its first send. Default 3 600 000 ms (an hour). */
  windowMs?: number | undefined;
  /** How long a range stays suspended; its window ends with the suspension. Default 3 600 000 ms (an hour). */
  suspendMs?: number | undefined;
  /** The digits of a normalized number that name its range, 4 to 12. Default 8 (`90532123`: about 10 000 numbers). */
  prefixDigits?: number | undefined;
}

/** `service.stats()`: the pumping guard's ranges (the `limit` with most sends, default 100) and every country in their current windows, most sends first. `conversion` is `verified / sends` (null when `sends` is 0). */
export interface OtpGuardStats {
  windowMs: number;
  /** How many ranges have a live record (`prefixes` lists the `limit` with most sends). */
  ranges: number;
  prefixes: {
    prefix: string;
    /** The ITU calling code the range starts with. */
    country: string;
    sends: number;
    verified: number;
    conversion: number | null;
    /** 0 when the range is not suspended. */
    suspendedForMs: number;
  }[];
  countries: { country: string; sends: number; verified: number; conversion: number | null }[];
}

/** A server-side template for `/otp/detailed`: the page must send exactly this title and text. */
export interface OtpTemplate {
  title: string;
  text: string;
}

/** What `onEvent` receives: one event per answer, with what the caller is not told. */
export interface OtpHandlerEvent {
  /** `sent`, `verified`, `refused` (by a control), `failed` (upstream), `store-error` (the store failed: 503, or 502 after a send), `verify-unavailable` (TurkeySMS did not return the code), `hook-error` (`onVerified` threw), `webhook` (a delivery event acknowledged) or `prefix-suspended` (this send started a number range's suspension; its `refused` event follows). */
  type:
    | "sent"
    | "verified"
    | "refused"
    | "failed"
    | "store-error"
    | "verify-unavailable"
    | "hook-error"
    | "webhook"
    | "prefix-suspended";
  /** For a send's events once the number is known (`sent`, and `refused`, `failed`, … of a send): the number's calling code (`"90"`, `"1"`, `"380"`). */
  country?: string;
  /** For a send's events once the number is known: the template's name, or `"standard"`. */
  template?: string;
  /** For `prefix-suspended`: the range (the number's first `guard.prefixDigits` digits). */
  prefix?: string;
  /** For `prefix-suspended`: the range's codes sent in its window. */
  sends?: number;
  /** For `prefix-suspended`: the range's codes typed back in its window. */
  verified?: number;
  /** For `webhook`: TurkeySMS's `event_type` (`sms.delivered`, `key.test`, …). */
  event?: string;
  /** For `webhook`: what it did: `applied`, `duplicate`, `ignored` (a status that does not move forward, or an event without one), `unknown` (an sms_id no send left) or `notice` (`key.test`, `otp.verified`). */
  result?: string;
  /** For `webhook`: the send's status after the event. */
  delivery?: DeliveryStatus;
  /** For `webhook`: the send failed or expired while it was its number's latest: its cooldown was released and its pending code dropped. */
  freed?: boolean;
  /** The code the caller got. */
  code?: string;
  status?: number;
  /** Which service call the event answers: `send` or `check` (absent on the handler's own refusals, webhooks and status reads). */
  action?: "send" | "check";
  /** For a send that called TurkeySMS: its result code (`TS-1024`; behind a `failed` send the real one: `TS-1027`, `TIMEOUT`, …). */
  upstream?: string;
  /** For a send that called TurkeySMS: the milliseconds the call took, its retries included. */
  upstreamMs?: number;
  /** For a `failed` send: the attempts made. */
  attempts?: number;
  /** The number, masked (`90532*****67`), once known. */
  mobile: string | null;
  /** The client's bucket (an IPv4 address, an IPv6 /64, `"unknown"`), or null without a client address. */
  client: string | null;
  /** Time spent on the call. */
  ms: number;
  /** For `store-error` and `hook-error`: what was thrown. */
  error?: string;
  /** For `verify-unavailable`: why. */
  reason?: string;
}
/** The same event, by the name of the service that emits it. */
export type OtpServiceEvent = OtpHandlerEvent;

/** Configuration of `createOtpService`. Every limit has a safe default; a mistake throws `INVALID_CONFIG`. */
export interface OtpServiceConfig {
  /** Your TurkeySMS key, from an environment variable or secret. Required: `undefined` (an unset variable) throws `INVALID_CONFIG`. */
  apiKey: string | undefined;
  /** Where codes go; default TurkeySMS itself (the sandbox's URL in development). */
  baseUrl?: string | undefined;
  /** Code length, 4 to 6, decided here (a page's is ignored); TurkeySMS's default (6) when not given. */
  digits?: Digits | undefined;
  /** The standard template's language, decided here. */
  lang?: Lang | undefined;
  /** Per call to TurkeySMS. Default 10 000 ms. */
  timeoutMs?: number | undefined;
  /** Retries of a call that surely did not reach TurkeySMS (TS-1060): never of a timeout, a reset or a 5xx, which may have sent the SMS. Default 2. */
  maxRetries?: number | undefined;
  /** Country codes numbers may have. Default `["90"]` (Turkey only). */
  allowedCountries?: string[] | undefined;
  /** The least time between two codes to one number. Default 60 000 ms; 0 turns it off. */
  cooldownMs?: number | undefined;
  /** Codes per number per window. Default 5 per hour. */
  perNumber?: { limit?: number; windowMs?: number } | undefined;
  /** Codes per client IP per window (only with a client address). Default 20 per hour; an IPv6 client counts per /64, and its /48 gets 4 times that. */
  perIp?: { limit?: number; windowMs?: number } | undefined;
  /** Codes per minute in all: a ceiling on the bill. Default 60. */
  globalPerMinute?: number | undefined;
  /** Named texts for custom sends (`send({ template })`, `/otp/detailed`); without any, custom texts are refused. */
  templates?: Record<string, OtpTemplate> | undefined;
  /** Where counters and pending codes live. Default: `memoryStore()`, this isolate or process only. */
  store?: OtpHandlerStore | undefined;
  /** Told of every answer, with the real upstream code, the masked number and timings. It never changes an answer (a throw or rejection is ignored); keep it quick, since it is called before the answer returns. */
  onEvent?: ((event: OtpHandlerEvent) => void | Promise<void>) | undefined;
  /** Keeps this service's keys apart in a shared store (Redis, a Durable Object). Default: 16 characters derived from `apiKey` and the oldest verify secret, which reveal neither; give two services the same one to share limits and codes on purpose. */
  namespace?: string | undefined;
  /** Verification: keep a keyed hash of each code and check codes. It depends on TurkeySMS returning the code it sent (`otp_code`); without it a send rejects with `VERIFY_UNAVAILABLE` (502). */
  verify?: OtpVerifyConfig | undefined;
  /** The SMS-pumping guard (needs `verify`; `{}` for the defaults): per number range (the first `prefixDigits` digits, default 8), a send is refused with `PREFIX_SUSPENDED` once the range has `minSends` (default 20) sends in its window of `windowMs` (default 3 600 000 ms) and fewer than `minConversion` (default 0.2) of them typed back; it stays refused for `suspendMs` (default 3 600 000 ms). `service.stats()` reports it. */
  guard?: OtpGuardConfig | undefined;
  /** TurkeySMS's signed delivery webhooks (`service.webhook`, `POST <prefix>/webhooks/turkeysms`) and each send's status (`service.status`, `POST <prefix>/otp/status`). `toleranceMs`: how old (or far ahead) an event's own `timestamp` may be. Default 300 000 ms (5 minutes). */
  webhook?: { secret: string | undefined; toleranceMs?: number | undefined } | undefined;
}

/** Configuration of `createOtpHandler`: the service's, and what HTTP adds. */
export interface OtpHandlerConfig extends OtpServiceConfig {
  /** The path prefix the routes are served under, e.g. `"/api"` for `/api/otp/send`. Default `""`. */
  prefix?: string | undefined;
  /** Origins of other sites whose pages may call (CORS). Default none: the handler's own site only (an `https:` page on the host the request was sent to, or a loopback page). */
  allowedOrigins?: string[] | undefined;
  /** Which proxy header names the client's address: only a proxy you trust sets it. Default `"none"`. */
  trustProxy?: "none" | "cloudflare" | "x-forwarded-for" | undefined;
  /** With `"x-forwarded-for"`: how many trusted proxies append to it (the address read is that many from the right). Default 1. */
  proxyHops?: number | undefined;
  /** Your own reader of the client's address, instead of `trustProxy` (give one of the two): it gets the request and whatever the server passes after it, e.g. `(request, env) => env.incoming.socket.remoteAddress` with `@hono/node-server`. A non-string answer counts in one shared bucket. */
  clientIp?: ((request: Request, env?: ServerEnv) => string | undefined | Promise<string | undefined>) | undefined;
  /** Cloudflare Turnstile before every send: the page sends the token as `cf-turnstile-response` (body or header); `hostname` and `action`, when given, must match the verdict; no verdict within `timeoutMs` (default 5000) is a refusal. */
  turnstile?:
    | { secret: string; hostname?: string; action?: string; siteverifyUrl?: string; timeoutMs?: number }
    | undefined;
  /** The largest request body. Default 2048 bytes. */
  maxBodyBytes?: number | undefined;
  /** How long a client may take to send its body (then 408). Default 10 000 ms. */
  bodyTimeoutMs?: number | undefined;
}

/** What `service.send` takes: the number as typed, the client's address when you know it, and a template's name for a custom text. */
export interface OtpSendInput {
  mobile: string;
  /** The client's IP address, as you decided to trust it: it feeds the per-IP limits. Omit it and they do not apply. */
  clientIp?: string | undefined;
  /** The name of one of the config's `templates`: a custom text. */
  template?: string | undefined;
}

/** What `service.check` takes. */
export interface OtpCheckInput {
  mobile: string;
  /** What the person typed: 4 to 6 digits (Arabic-Indic and full-width digits too). */
  code: string;
  clientIp?: string | undefined;
}

/** The OTP service, with no HTTP in it. Each method rejects with an `OtpError` whose `code`, `status` and `retryAfter` (seconds) are the ones `createOtpHandler` answers with. */
export interface OtpService {
  /** Sends a code; resolves the normalized number and an opaque `id` for the send (it reveals neither the number nor TurkeySMS's `sms_id`). */
  send(input: OtpSendInput): Promise<{ mobile: string; id: string }>;
  /** Checks a code (needs `verify`); resolves the normalized number. */
  check(input: OtpCheckInput): Promise<{ mobile: string }>;
  /** The pumping guard's view (needs `guard`, else rejects with `INVALID_CONFIG`): sends, codes typed back and conversion per range and per country, and each range's suspension. `limit`: how many ranges `prefixes` lists, most sends first (default 100; the countries count them all); not a whole number from 0 rejects with `INVALID_OPTIONS`. A store failure rejects with `STORE_UNAVAILABLE`. */
  stats(options?: { limit?: number }): Promise<OtpGuardStats>;
  /** The delivery status of a send by its `id` (needs `webhook`); an id never issued, or whose status has expired with its code, rejects with `UNKNOWN_ID` (404). */
  status(id: string): Promise<{ id: string; status: DeliveryStatus }>;
  /** A webhook from TurkeySMS, as it came: the raw body (its exact bytes, or text) and the headers (a `Headers`, or a plain object). Resolves when it is acknowledged (answer 2xx); rejects with `SIGNATURE_INVALID` (401), `INVALID_EVENT` (400), `EVENT_STALE` (400) or `STORE_UNAVAILABLE` (503). */
  webhook(input: {
    body: Uint8Array | string;
    headers: Headers | Record<string, string | string[] | undefined>;
  }): Promise<{ result: "applied" | "duplicate" | "ignored" | "unknown" }>;
}

/** The OTP service for a backend of your own, a framework adapter or a job: the limits, the codes and the checks, with no HTTP. */
export declare function createOtpService(config: OtpServiceConfig): OtpService;

/** A fetch-API handler for Workers, Deno.serve, Bun.serve and Node: TurkeySMS's paths (and `/otp/verify` with `verify`), the key added server-side, abuse limits applied. */
export declare function createOtpHandler(config: OtpHandlerConfig): OtpHandler;

/** What `createOtpHandler` returns: a fetch handler, with the service behind its routes. */
export interface OtpHandler {
  (request: Request, env?: ServerEnv): Promise<Response>;
  /** The service the routes use, on the same store and namespace: `handle.service.stats()` for a dashboard, `status(id)`, a job's own `send`. */
  readonly service: OtpService;
}

/** What a server passes after the request: `@hono/node-server` gives `{ incoming, outgoing }` (node:http's request and response), a Worker its `env`. */
export interface ServerEnv {
  incoming?: { socket?: { remoteAddress?: string | undefined } | undefined } | undefined;
  [key: string]: unknown;
}

/** What `otelMetrics` needs of an OpenTelemetry `Meter` (`@opentelemetry/api`'s `Meter` has it). */
export interface OtelMeter {
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { add(value: number, attributes?: Record<string, string>): void };
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): { record(value: number, attributes?: Record<string, string>): void };
}

/** An `onEvent` that records the service's OpenTelemetry metrics on `meter` (`turkeysms_otp.sends`, `.refusals`, `.verifications`, `.deliveries`, `.upstream.duration`). Throws a `TypeError` when `meter` has no `createCounter` and `createHistogram`. To keep your own onEvent too: `onEvent: (e) => { metrics(e); mine(e); }`. */
export declare function otelMetrics(meter: OtelMeter): (event: OtpHandlerEvent) => void;

/** Counters in this process's or isolate's memory: one server only (not across Workers isolates or instances). */
export declare function memoryStore(options?: { maxCounters?: number }): OtpHandlerStore;

/** What `redisStore` needs of a client of the `redis` package (node-redis). */
export interface RedisScriptClient {
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  scriptLoad(script: string): Promise<string>;
}

/** Counters in Redis, shared by every instance that uses it; atomic through Lua scripts. Pass a connected node-redis client. */
export declare function redisStore(client: RedisScriptClient, options?: { prefix?: string }): OtpHandlerStore;

/** What `durableObjectStore` needs of a Durable Object namespace binding. */
export interface OtpStoreNamespace {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** Counters in the `OtpStore` Durable Object: strongly consistent across every isolate and location. */
export declare function durableObjectStore(namespace: OtpStoreNamespace, options?: { name?: string }): OtpHandlerStore;

/** The Durable Object class behind `durableObjectStore`: export it from your Worker (`export { OtpStore } from "turkeysms-otp"`). */
export declare class OtpStore {
  constructor(ctx: unknown, env: unknown);
  fetch(request: Request): Promise<Response>;
}
