// The server's own policy, rules no page needs (so the page's .wasm does not carry them), each a
// pure function with its tests beside it (policy.test.mjs): who is asking (the client's address
// and its bucket), what the operator sees of a number (masked), and what the public is told of
// a failed send.
//
// Who is asking: the client address the service counts per-IP limits against.
//
// Headers that name a client are believed only from a proxy the operator runs (`trustProxy`):
//   "cloudflare"      CF-Connecting-IP, which Cloudflare sets and a client cannot;
//   "x-forwarded-for" the entry the trusted proxy appended: the right-most one, or the
//                     `proxyHops`-th from the right behind a chain of trusted proxies. Entries
//                     further left came from the client and are never read.
// When the trusted header is missing or unparseable, those requests share one bucket: never
// unlimited. IPv6 addresses count per /64 (one customer's allocation), IPv4 per address.
// With "none" no address is known and the per-IP limit does not apply (the global cap still does).

/** The bucket requests without a usable address share. */
export const UNKNOWN_CLIENT = "unknown";

/**
 * The client's address as `headers` (a Headers) name it under `trust`: a string (maybe not an
 * address at all: bucketOf() decides), undefined when the trusted header is missing, or null
 * when `trust` is "none".
 */
export function clientAddress(headers, trust, hops) {
  if (trust === "cloudflare") return headers.get("cf-connecting-ip") ?? undefined;
  if (trust === "x-forwarded-for") {
    const entries = (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim());
    return entries.length >= hops ? entries[entries.length - hops] : undefined;
  }
  return null;
}

/** An address's bucket: IPv4 as written, IPv6 as its /64 prefix; anything else the unknown one. */
export const bucketOf = (text) => bucketsOf(text)[0];

/**
 * The buckets an address counts in: [its own], or for IPv6 [its /64, its /48]. One customer is
 * usually given a /64; a site or a home router is given a /56 or a /48, so the /48 is counted
 * too, with a larger limit, or a home /56 would hold 256 per-IP budgets.
 */
export function bucketsOf(text) {
  if (typeof text !== "string") return [UNKNOWN_CLIENT];
  // Some proxies append the client's port: "203.0.113.7:51234", "[2001:db8::1]:443".
  const address = text
    .trim()
    .replace(/^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/, "$1")
    .replace(/^\[([^\]]+)\]:\d{1,5}$/, "$1");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address) && address.split(".").every((part) => Number(part) <= 255)) {
    return [address.split(".").map(Number).join(".")];
  }
  const groups = ipv6Groups(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  if (!groups) return [UNKNOWN_CLIENT];
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [[groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join(".")];
  }
  const prefix = (n) =>
    `${groups
      .slice(0, n)
      .map((g) => g.toString(16))
      .join(":")}::/${n * 16}`;
  return [prefix(4), prefix(3)];
}

/** The eight 16-bit groups of an IPv6 address, or null. Accepts `::` and a dotted IPv4 tail. */
function ipv6Groups(text) {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return null;
  let tail = [];
  let head = text;
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const parts = dotted[1].split(".").map(Number);
    if (parts.some((p) => p > 255)) return null;
    tail = [(parts[0] << 8) | parts[1], (parts[2] << 8) | parts[3]];
    head = text.slice(0, -dotted[1].length);
    if (!head.endsWith(":")) return null;
    head = head.endsWith("::") ? head : head.slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const parse = (part) => (part === "" ? [] : part.split(":"));
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  if ([...left, ...right].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const missing = 8 - tail.length - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...left, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...right]
    .map((g) => Number.parseInt(g, 16))
    .concat(tail);
}

/** 905321234567 -> 90532*****67: enough for an operator to see a pattern, not to message anyone. */
export const mask = (mobile) =>
  mobile.length > 7 ? mobile.slice(0, 5) + "*".repeat(mobile.length - 7) + mobile.slice(-2) : "*";

/**
 * What the public is told of a failed send: its own number's problem, or that sending is
 * unavailable. Everything else TurkeySMS said (the account, the key, the balance) is the
 * operator's, through onEvent.
 */
export function publicFailure(upstream) {
  if (upstream === "TS-1034") return "INVALID_MOBILE";
  if (upstream === "TS-1032") return "COUNTRY_NOT_ALLOWED";
  return "UNAVAILABLE";
}

/** A timeout, a 2xx nobody understood, or a call cut short by a trap may have sent the code. */
export const mayHaveSent = (upstream) => ["TIMEOUT", "BAD_RESPONSE", "INTERNAL_ERROR"].includes(upstream);
