/** `0` English · `1` Turkish · `2` Arabic/Unicode, or their names. */
export type Lang = 0 | 1 | 2 | "en" | "tr" | "ar";

/** Length of the generated code. TurkeySMS's default is 6. */
export type Digits = 4 | 5 | 6;

/** Options shared by both calls. */
export interface SendOtpOptions {
  /** Your TurkeySMS V4 API key (sent as `api_key` in the body). Required for the TurkeySMS API; may be omitted when `baseUrl` is your own proxy that adds it. */
  apiKey?: string;
  /** The recipient, as people type it: `"+90 532 123 45 67"`, `"0532 123 4567"`, `"5321234567"`, `"+49 151…"`. Sent normalised (`905321234567`). */
  mobile: string;
  /** Language of the standard template; omitted from the request when not given. */
  lang?: Lang;
  /** Code length; omitted from the request when not given (server default 6). */
  digits?: Digits;
  /** Default `https://api.turkeysms.com.tr`. `http:` is accepted only for loopback hosts. */
  baseUrl?: string;
  /** Per attempt, in milliseconds. Default 10000. */
  timeoutMs?: number;
  /** Retries of transient failures (network, timeout, 5xx, TS-1060). Default 2; 0 disables. */
  maxRetries?: number;
  /** Aborts the whole call, retries and waits included. */
  signal?: AbortSignal;
  /** In a browser, allow sending `apiKey` straight to TurkeySMS. Every visitor can read that key. */
  dangerouslyAllowBrowser?: boolean;
  /**
   * The fetch to send with, instead of the global one: for proxies, instrumentation and tests.
   * Called as `fetch(url, init)` and must resolve to a fetch-API `Response` (any realm or library).
   * Whatever it throws or rejects with becomes an `OtpError` (`NETWORK`).
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
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
  | "BROWSER_KEY_EXPOSED"
  | "TIMEOUT"
  | "ABORTED"
  | "NETWORK"
  | "HTTP_ERROR"
  | "BAD_RESPONSE"
  | "NOT_READY"
  | "INTERNAL_ERROR";

/** A local code, or TurkeySMS's own `TS-####`. */
export type OtpErrorCode = LocalErrorCode | `TS-${string}`;

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

/** Normalises a typed number to TurkeySMS's form (`"905321234567"`). Throws an `OtpError` (`INVALID_MOBILE`). */
export declare function normalizeMobile(input: string): string;

/** Every problem with a set of options, for forms; the same rules the calls apply. */
export declare function validateOptions(
  options: Partial<SendCustomOtpOptions>,
  kind: "standard" | "custom",
): { ok: boolean; issues: ValidationIssue[] };

/** Encoding, characters and segments of a text, with `TS-CODE` counted as `digits` digits (default 6). */
export declare function estimateSegments(text: string, digits?: Digits): SegmentEstimate;

/** Resolves when the wasm is loaded. Node, Bun, Deno and Workers load it on the first call (or here); in browsers call it once before the synchronous helpers. Safe to call any number of times. */
export declare function ready(): Promise<void>;

/** Counters for the handler's limits. `hit` counts one event for `key` in a fixed window. */
export interface LimiterStore {
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
}

/** A server-side template for `/otp/detailed`: the page must send exactly this title and text. */
export interface OtpTemplate {
  title: string;
  text: string;
}

/** Configuration of `createOtpHandler`. Every limit has a safe default. */
export interface OtpHandlerConfig {
  /** Your TurkeySMS key, from an environment variable or secret. */
  apiKey: string;
  /** Where codes go; default TurkeySMS itself. */
  baseUrl?: string;
  /** Path prefix the handler serves under, e.g. `"/api"` for `/api/otp/send`. Default `""`. */
  prefix?: string;
  /** Country codes numbers may have. Default `["90"]` (Turkey only). */
  allowedCountries?: string[];
  /** Minimum time between two codes to one number. Default 60 000 ms. */
  cooldownMs?: number;
  /** Codes per number per window. Default 5 per hour. */
  perNumber?: { limit?: number; windowMs?: number };
  /** Codes per client IP per window (only with `trustProxy`). Default 20 per hour. */
  perIp?: { limit?: number; windowMs?: number };
  /** Codes per minute for the whole handler. Default 60. */
  globalPerMinute?: number;
  /** Where the client IP comes from: only a proxy you trust sets these headers. Default `"none"`. */
  trustProxy?: "none" | "cloudflare" | "x-forwarded-for";
  /** Cloudflare Turnstile: the page sends the token as `cf-turnstile-response` (body or header). */
  turnstile?: { secret: string; siteverifyUrl?: string };
  /** Largest request body accepted. Default 2048 bytes. */
  maxBodyBytes?: number;
  /** Origins allowed to call from a browser (CORS). Default none: same-origin only. */
  allowedOrigins?: string[];
  /** Named templates for `/otp/detailed`; without any, custom texts are refused. */
  templates?: Record<string, OtpTemplate>;
  /** Counter storage. Default: memory of this isolate or process. */
  store?: LimiterStore;
  timeoutMs?: number;
  maxRetries?: number;
}

/** A fetch-API handler for Workers, Deno.serve, Bun.serve and Node: TurkeySMS's paths, the key added server-side, abuse limits applied. */
export declare function createOtpHandler(config: OtpHandlerConfig): (request: Request) => Promise<Response>;

/** In-memory fixed-window counters: they protect one process or isolate only. */
export declare function memoryLimiterStore(): LimiterStore;

/** The Workers Rate Limiting binding (`{ limit({ key }) }`) as a store. */
export declare function rateLimitBindingStore(binding: {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}): LimiterStore;
