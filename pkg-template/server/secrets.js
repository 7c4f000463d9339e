// The verify secret: one string, or a list, newest first, so that a secret can be rotated without
// dropping anyone (the first keys new codes and signs tokens; all of them check codes and
// tokens). A secret that can be guessed is refused when the service is made. The numbers are
// src/defaults.rs's (`rules`: minSecretBytes, minSecretBits, maxSecrets).

const encoder = new TextEncoder();

/** Why `bytes` is guessable, or null: a shorter string repeated, or under `minBits` of variety. */
export function weakness(bytes, minBits) {
  for (let period = 1; period <= bytes.length / 2; period += 1) {
    if (bytes.length % period === 0 && bytes.every((b, i) => b === bytes[i % period])) {
      return "it is a shorter string repeated";
    }
  }
  const distinct = new Set(bytes).size;
  const bits = bytes.length * Math.log2(Math.max(distinct, 1));
  return bits < minBits ? `it has about ${Math.floor(bits)} bits of variety, under ${minBits}` : null;
}

/**
 * The secrets' bytes, newest first; `fail(message)` throws. Each must be a string of at least
 * `rules.minSecretBytes` bytes that is not guessable (see weakness()).
 * @param {unknown} value
 * @param {{ minSecretBytes: number, minSecretBits: number, maxSecrets: number }} rules
 * @param {(message: string) => never} fail
 * @returns {Uint8Array[]}
 */
export function checkSecrets(value, rules, fail) {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.length > rules.maxSecrets) {
    fail(`verify.secret must be a secret, or a list of 1 to ${rules.maxSecrets} secrets (newest first).`);
  }
  return list.map((secret, i) => {
    const name = Array.isArray(value) ? `verify.secret[${i}]` : "verify.secret";
    if (typeof secret !== "string" || encoder.encode(secret).length < rules.minSecretBytes) {
      fail(
        `${name} must be a random string of at least ${rules.minSecretBytes} bytes, from a secret (e.g. openssl rand -base64 32): it signs the tokens and keys the stored codes.`,
      );
    }
    const bytes = encoder.encode(secret);
    const weak = weakness(bytes, rules.minSecretBits);
    if (weak) fail(`${name} can be guessed (${weak}): use a random one, e.g. openssl rand -base64 32.`);
    return bytes;
  });
}
