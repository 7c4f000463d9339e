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
  | "STORE_UNAVAILABLE"
  | "UNAVAILABLE"
  | "CODE_INVALID"
  | "CODE_EXPIRED"
  | "TOO_MANY_ATTEMPTS"
  | "VERIFY_UNAVAILABLE";

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

/** For your backend: the claims of a token `/otp/verify` answered with. Rejects with an `OtpError`: `TOKEN_INVALID`, `TOKEN_EXPIRED`, or `INVALID_OPTIONS` for a bad secret. */
export declare function verifyOtpToken(
  token: string,
  options: { secret: string | undefined; issuer?: string | undefined; audience?: string | undefined },
): Promise<OtpTokenClaims>;

/** Normalises a typed number to TurkeySMS's form (`"905321234567"`). Throws an `OtpError` (`INVALID_MOBILE`). */
export declare function normalizeMobile(input: string): string;

/** Normalises a typed code to ASCII digits (`" ١٢٣٤٥٦ "` → `"123456"`). Throws an `OtpError` (`INVALID_CODE`). */
export declare function normalizeCode(input: string): string;

/** Every problem with a set of options, for forms; the same rules the calls apply. */
export declare function validateOptions(
  options: Partial<SendCustomOtpOptions> | Partial<VerifyOtpOptions>,
  kind: "standard" | "custom" | "verify",
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
}

/** What a store answers to a reservation: counted in every counter, or refused by the first full one. */
export type Reservation = { ok: true } | { ok: false; key: string; retryAfterMs: number };

/** What a store answers to `attemptCode`: the attempt was counted only when `live`. */
export type CodeAttempt =
  | { state: "none" | "expired" | "exhausted" }
  | { state: "live"; hash: string; attempts: number };

/**
 * Where the handler keeps its counters and (with `verify`) the pending codes' keyed hashes.
 * `reserve` is atomic: it counts one in every counter, or none when any is full. `release` takes
 * one back (a send that failed). `putCode` replaces a number's pending code; `attemptCode`
 * counts a try before answering the hash; `consumeCode` deletes the code if it is still that
 * one. A failure rejects, and the handler then refuses with 503 `STORE_UNAVAILABLE`: it never
 * sends without counting, nor accepts a code without the store.
 */
export interface OtpHandlerStore {
  reserve(counters: StoreCounter[], nowMs: number): Promise<Reservation>;
  release(counters: StoreCounter[], nowMs: number): Promise<void>;
  putCode?(key: string, hash: string, ttlMs: number): Promise<void>;
  attemptCode?(key: string, maxAttempts: number): Promise<CodeAttempt>;
  consumeCode?(key: string, hash: string): Promise<boolean>;
}

/** `createOtpHandler`'s `verify`: keep a keyed hash of each sent code and serve `POST <prefix>/otp/verify`. */
export interface OtpVerifyConfig {
  /** At least 32 bytes, random, from a secret: it keys the stored hashes and signs the tokens (HS256). `undefined` (an unset variable) throws `INVALID_CONFIG`. */
  secret: string | undefined;
  /** How long a code can be checked. Default 300 000 ms (5 minutes). */
  codeTtlMs?: number | undefined;
  /** Tries per code, the right one included; then it is burnt (`TOO_MANY_ATTEMPTS`). Default 5. */
  maxAttempts?: number | undefined;
  /** Checks per number per window, across its codes. Default 10 per hour. */
  perNumber?: { limit?: number; windowMs?: number } | undefined;
  /** Checks per client IP per window (only with `trustProxy`). Default 60 per hour. */
  perIp?: { limit?: number; windowMs?: number } | undefined;
  /** How long a token is valid. Default 600 000 ms (10 minutes). */
  tokenTtlMs?: number | undefined;
  /** The token's `iss`, checked by `verifyOtpToken` when you pass it there too. */
  issuer?: string | undefined;
  /** The token's `aud`, checked by `verifyOtpToken` when you pass it there too. */
  audience?: string | undefined;
  /** Called after a right code with the token's claims; may return its own Response (a session cookie, say) instead of `{ result_code: "VERIFIED", token }`. */
  onVerified?:
    | ((
        claims: OtpTokenClaims,
        request: Request,
        token: string,
      ) => Response | undefined | Promise<Response | undefined>)
    | undefined;
}

/** A server-side template for `/otp/detailed`: the page must send exactly this title and text. */
export interface OtpTemplate {
  title: string;
  text: string;
}

/** What `onEvent` receives: every answer, with what the page is not told. */
export interface OtpHandlerEvent {
  /** `sent`, `verified`, `refused` (by a control), `failed` (upstream), `store-error`, `verify-unavailable` (TurkeySMS did not return the code) or `hook-error` (`onVerified` threw). */
  type: "sent" | "verified" | "refused" | "failed" | "store-error" | "verify-unavailable" | "hook-error";
  /** The code the page got. */
  code?: string;
  status?: number;
  /** The real code behind a `failed` send (`TS-1027`, `TIMEOUT`, …). */
  upstream?: string;
  attempts?: number;
  /** The number, masked (`90532*****67`), once known. */
  mobile: string | null;
  /** The client's bucket (an IPv4 address, an IPv6 /64, `"unknown"`), or null without `trustProxy`. */
  client: string | null;
  /** Time spent on the request. */
  ms: number;
  /** For `store-error` and `hook-error`: what was thrown. */
  error?: string;
  /** For `verify-unavailable`: why. */
  reason?: string;
}

/** Configuration of `createOtpHandler`. Every limit has a safe default; a mistake throws `INVALID_CONFIG`. */
export interface OtpHandlerConfig {
  /** Your TurkeySMS key, from an environment variable or secret. Required: `undefined` (an unset variable) throws `INVALID_CONFIG`. */
  apiKey: string | undefined;
  /** Where codes go; default TurkeySMS itself. */
  baseUrl?: string | undefined;
  /** Path prefix the handler serves under, e.g. `"/api"` for `/api/otp/send`. Default `""`. */
  prefix?: string | undefined;
  /** Country codes numbers may have. Default `["90"]` (Turkey only). */
  allowedCountries?: string[] | undefined;
  /** Minimum time between two codes to one number. Default 60 000 ms; 0 turns it off. */
  cooldownMs?: number | undefined;
  /** Codes per number per window. Default 5 per hour. */
  perNumber?: { limit?: number; windowMs?: number } | undefined;
  /** Codes per client IP per window (only with `trustProxy`). Default 20 per hour. */
  perIp?: { limit?: number; windowMs?: number } | undefined;
  /** Codes per minute for the whole handler. Default 60. */
  globalPerMinute?: number | undefined;
  /** Where the client IP comes from: only a proxy you trust sets these headers. Default `"none"`. */
  trustProxy?: "none" | "cloudflare" | "x-forwarded-for" | undefined;
  /** With `"x-forwarded-for"`: how many trusted proxies append to it (the address read is that many from the right). Default 1. */
  proxyHops?: number | undefined;
  /** Cloudflare Turnstile: the page sends the token as `cf-turnstile-response` (body or header); `hostname` and `action`, when given, must match the verdict. */
  turnstile?:
    | { secret: string; hostname?: string; action?: string; siteverifyUrl?: string; timeoutMs?: number }
    | undefined;
  /** Largest request body accepted. Default 2048 bytes. */
  maxBodyBytes?: number | undefined;
  /** How long a client may take to send its body (then 408). Default 10 000 ms. */
  bodyTimeoutMs?: number | undefined;
  /** Origins allowed to call from a browser (CORS). Default none: same-origin only. */
  allowedOrigins?: string[] | undefined;
  /** Named templates for `/otp/detailed`; without any, custom texts are refused. */
  templates?: Record<string, OtpTemplate> | undefined;
  /** Counter storage. Default: `memoryStore()`, this isolate or process only. */
  store?: OtpHandlerStore | undefined;
  /** Code length and language, decided here: the page's values are ignored. */
  digits?: Digits | undefined;
  lang?: Lang | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  /** Told of every answer, with the real upstream code, the masked number and timings. It never changes an answer (a throw or rejection is ignored); keep it quick, since it is called before the answer returns. */
  onEvent?: ((event: OtpHandlerEvent) => void | Promise<void>) | undefined;
  /** Verification: keep a keyed hash of each code and serve `POST <prefix>/otp/verify`. It depends on TurkeySMS returning the code it sent (`otp_code`); without it a send answers 502 `VERIFY_UNAVAILABLE`. */
  verify?: OtpVerifyConfig | undefined;
}

/** A fetch-API handler for Workers, Deno.serve, Bun.serve and Node: TurkeySMS's paths (and `/otp/verify` with `verify`), the key added server-side, abuse limits applied. */
export declare function createOtpHandler(config: OtpHandlerConfig): (request: Request) => Promise<Response>;

/** Counters in this process's or isolate's memory: one server only (not across Workers isolates or instances). */
export declare function memoryStore(options?: { maxCounters?: number }): OtpHandlerStore;

/** What `redisStore` needs of a client of the `redis` package (node-redis). */
export interface RedisScriptClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
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
