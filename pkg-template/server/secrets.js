// The verify secret: one string, or a list, newest first, so that a secret can be rotated without
// dropping anyone (the first keys new codes and signs tokens; all of them check codes and
// tokens). A secret that can be guessed is refused when the service is made.

const encoder = new TextEncoder();
/** The least guessing work a secret must take, in bits: length × log2(distinct bytes). */
const MIN_BITS = 128;
/** The most secrets a list may hold: each is one more hash to compute per check. */
export const MAX_SECRETS = 4;

/** Why `bytes` is guessable, or null: a shorter string repeated, or too few bits. */
export function weakness(bytes) {
  for (let period = 1; period <= bytes.length / 2; period += 1) {
    if (bytes.length % period === 0 && bytes.every((b, i) => b === bytes[i % period])) {
      return "it is a shorter string repeated";
    }
  }
  const distinct = new Set(bytes).size;
  const bits = bytes.length * Math.log2(Math.max(distinct, 1));
  return bits < MIN_BITS ? `it has about ${Math.floor(bits)} bits of variety, under ${MIN_BITS}` : null;
}

/**
 * The secrets' bytes, newest first; `fail(message)` throws. Each must be a string of at least
 * `minBytes` bytes that is not guessable (see weakness()).
 */
export function checkSecrets(value, minBytes, fail) {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.length > MAX_SECRETS) {
    fail(`verify.secret must be a secret, or a list of 1 to ${MAX_SECRETS} secrets (newest first).`);
  }
  return list.map((secret, i) => {
    const name = Array.isArray(value) ? `verify.secret[${i}]` : "verify.secret";
    if (typeof secret !== "string" || encoder.encode(secret).length < minBytes) {
      fail(
        `${name} must be a random string of at least ${minBytes} bytes, from a secret (e.g. openssl rand -base64 32): it signs the tokens and keys the stored codes.`,
      );
    }
    const bytes = encoder.encode(secret);
    const weak = weakness(bytes);
    if (weak) fail(`${name} can be guessed (${weak}): use a random one, e.g. openssl rand -base64 32.`);
    return bytes;
  });
}
