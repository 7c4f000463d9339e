// The SMS-pumping guard: what a number's range is, the counter entry that watches it in the
// send's one reservation, and the conversion (codes typed back / codes sent) per range and per
// country that service.stats() reports. The service decides with these; the stores count.
//
// A range is the first `prefixDigits` digits of the normalized number. Its record (in the store,
// under `<namespace>:guard:<range>`, listed under `<namespace>:guards`) counts `sends` and
// `verified` in a fixed window of `windowMs` from its first send. A send is refused while the
// range is suspended; a send that finds `sends >= minSends` and `verified < minConversion * sends`
// starts a suspension of `suspendMs` (the window then ends with the suspension, so the range
// starts afresh after it) and is refused too.

import { countryOf } from "./country.js";

/** The range of a normalized number: its first `prefixDigits` digits. */
export const prefixOf = (mobile, prefixDigits) => mobile.slice(0, prefixDigits);

/** The store key of the list of a namespace's range records (`k` makes a namespaced key). */
export const guardsKey = (k) => k("guards");

/** The store key of `mobile`'s range record (`k` makes a namespaced key). */
export const rangeKey = (k, mobile, g) => k(`guard:${prefixOf(mobile, g.prefixDigits)}`);

/**
 * The send's counter entry for `mobile`'s range (a reservation refuses with PREFIX_SUSPENDED).
 * @param {(key: string) => string} k the namespace's keyer
 * @param {string} mobile
 * @param {{ minSends: number, minConversion: number, windowMs: number, suspendMs: number, prefixDigits: number }} g
 * @returns {import("../index.d.ts").StoreCounter & { code: string }}
 */
export const guardCounter = (k, mobile, g) => ({
  key: rangeKey(k, mobile, g),
  limit: g.minSends,
  windowMs: g.windowMs,
  code: "PREFIX_SUSPENDED",
  guard: { minConversion: g.minConversion, suspendMs: g.suspendMs, list: guardsKey(k) },
});

/**
 * The ranges service.stats() lists by default, most sends first (the countries count them all): a
 * spray of one send to each of 100 000 ranges is 100 000 records, not an answer to read.
 */
export const STATS_LIMIT = 100;

/** verified / sends, or null when nothing was sent. */
const conversion = (sends, verified) => (sends > 0 ? verified / sends : null);
const bySends = (a, b) => b.sends - a.sends || (a.prefix ?? a.country).localeCompare(b.prefix ?? b.country);

/**
 * service.stats()'s answer from the store's live records ({ key, sends, verified,
 * suspendedForMs }, keys as `k` made them): the `limit` ranges with most sends, every country,
 * most sends first, and how many ranges there are.
 * @returns {import("../index.d.ts").OtpGuardStats}
 */
export function statsOf(records, k, windowMs, limit = STATS_LIMIT) {
  const start = k("guard:").length;
  const prefixes = records.map(({ key, sends, verified, suspendedForMs }) => {
    const prefix = key.slice(start);
    return {
      prefix,
      country: countryOf(prefix),
      sends,
      verified,
      conversion: conversion(sends, verified),
      suspendedForMs,
    };
  });
  const countries = new Map();
  for (const { country, sends, verified } of prefixes) {
    const total = countries.get(country) ?? { country, sends: 0, verified: 0 };
    total.sends += sends;
    total.verified += verified;
    countries.set(country, total);
  }
  return {
    windowMs,
    ranges: prefixes.length,
    prefixes: prefixes.sort(bySends).slice(0, limit),
    countries: [...countries.values()]
      .map((c) => ({ ...c, conversion: conversion(c.sends, c.verified) }))
      .sort(bySends),
  };
}
