// The ITU-T E.164 calling code a normalized number (or a prefix of one) starts with, by the
// calling-code plan: 1 (North America) and 7 (Russia, Kazakhstan) are one digit, the 2-digit codes
// below are two, and every other code is three (zone 2's 20 and 27, zones 3 to 6, 8 and 9's
// listed ones; the plan assigns no code that is a prefix of another).

/** The 2-digit calling codes (ITU-T E.164 Annex, the list of assigned country codes). */
const TWO_DIGITS = new Set(
  "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98".split(
    " ",
  ),
);

/**
 * The calling code `digits` (a normalized number such as "905321234567", or its prefix) starts
 * with: "1", "7", a 2-digit code, or its first 3 digits.
 * @param {string} digits
 * @returns {string}
 */
export function countryOf(digits) {
  if (digits[0] === "1" || digits[0] === "7") return digits[0];
  return TWO_DIGITS.has(digits.slice(0, 2)) ? digits.slice(0, 2) : digits.slice(0, 3);
}
