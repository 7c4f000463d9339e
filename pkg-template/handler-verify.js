// Verification: after a send, the code's keyed hash in the store; POST <prefix>/otp/verify checks
// what the person typed back and answers with a signed token.
//
// What guessing costs (docs/SECURITY.md works out the odds with the defaults):
//   - each code allows maxAttempts tries, the right one included, and the store counts a try
//     before anyone compares (attemptCode), so concurrent guesses get no more tries;
//   - checks are counted per number and per client IP across all codes, like sends;
//   - a code works once (consumeCode), expires after codeTtlMs, and a new send replaces it.
// The store holds HMAC-SHA-256(secret, "turkeysms-otp:code:<number>:<code>"), never the code,
// and the comparison is WebCrypto's HMAC verify, which takes the same time however many bytes
// match.

import { base64url } from "jose";
import { reserve } from "./handler-http.js";
import { signToken } from "./token.js";

const REFUSALS = {
  "verify-number": ["NUMBER_LIMIT", "Too many code checks for this number; try again later."],
  "verify-ip": ["IP_LIMIT", "Too many code checks from this address; try again later."],
};
const INVALID = "The code is not right.";
/** A hash no code has: compared when nothing is pending, so that both take the same time. */
const DECOY = new Uint8Array(32);

const encoder = new TextEncoder();
const codeKey = (mobile) => `code:${mobile}`;
const signed = (mobile, code) => encoder.encode(`turkeysms-otp:code:${mobile}:${code}`);

/** The HMAC key of a handler's verify secret (made once, on the first use). */
export function hmacKey(v) {
  v.hmacKey ??= crypto.subtle.importKey("raw", v.secretBytes, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
  return v.hmacKey;
}

/**
 * After a successful send: keeps the code's keyed hash for the number, replacing any pending
 * one. Returns null, or the answer to give when the code cannot be kept (TurkeySMS did not return
 * it, or the store failed): the SMS went out, but it could not be checked.
 */
export async function keepCode(ctx, mobile, sent) {
  const { c, sdk } = ctx;
  const digits = c.digits ?? 6;
  // A code TurkeySMS wrote as a JSON number has lost its leading zeros.
  const raw = sent?.raw?.otp_code;
  const given = typeof raw === "number" ? String(raw).padStart(digits, "0") : sent?.otpCode;
  let code;
  try {
    code = sdk.normalizeCode(given);
  } catch {
    ctx.emit({
      type: "verify-unavailable",
      reason: given === undefined ? "no otp_code in TurkeySMS's answer" : "otp_code is not 4 to 6 digits",
    });
    return ctx.answer(
      502,
      "VERIFY_UNAVAILABLE",
      "The code was sent but cannot be checked; try again later.",
      {},
      { upstream: sent?.code },
    );
  }
  try {
    const hash = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(c.verify), signed(mobile, code)));
    await c.store.putCode(codeKey(mobile), base64url.encode(hash), c.verify.codeTtlMs);
  } catch (error) {
    // The SMS went out but cannot be checked: the answer a page never retries (a 503 would be
    // retried, and each retry would send another SMS).
    ctx.emit({ type: "store-error", error: String(error?.message ?? error) });
    return ctx.answer(502, "VERIFY_UNAVAILABLE", "The code was sent but cannot be checked; try again later.");
  }
  return null;
}

/** POST <prefix>/otp/verify with { mobile, code }. */
export async function checkCode(ctx, body) {
  const { c, sdk, client, answer } = ctx;
  const v = c.verify;
  let code;
  let mobile;
  try {
    code = sdk.normalizeCode(body.code);
    mobile = ctx.setMobile(sdk.normalizeMobile(body.mobile));
  } catch (error) {
    return answer(400, error.code, error.message);
  }
  // Per client first, whatever is pending: a check costs the address that makes it (counters
  // per address stay bounded by the addresses). Then the code's state: a check against a number
  // with no live code counts nothing for the number (so checks cannot fill the store, nor lock a
  // number out before its code is sent). A live code's try is counted by attemptCode itself,
  // then the check is counted per number: a refusal there has spent that try, which only
  // shortens a guesser's run.
  if (client !== null) {
    const refused = await reserve(ctx, [{ key: `verify-ip:${client}`, ...v.perIp }], REFUSALS);
    if (refused) return refused;
  }
  let attempt;
  try {
    attempt = await c.store.attemptCode(codeKey(mobile), v.maxAttempts);
    if (!["live", "none", "expired", "exhausted"].includes(attempt?.state)) {
      throw new Error(`the store's attemptCode answered a state it should not (${typeof attempt?.state})`);
    }
  } catch (error) {
    return ctx.storeFailed(error);
  }
  let right = false;
  if (attempt.state === "live") {
    const refused = await reserve(ctx, [{ key: `verify-number:${mobile}`, ...v.perNumber }], REFUSALS);
    if (refused) return refused;
    try {
      const hash = base64url.decode(String(attempt.hash));
      right = await crypto.subtle.verify("HMAC", await hmacKey(v), hash, signed(mobile, code));
      right = right && (await c.store.consumeCode(codeKey(mobile), attempt.hash)) === true;
    } catch (error) {
      return ctx.storeFailed(error);
    }
  } else {
    // The same work as a comparison, so that the time taken says as little as the answer.
    await crypto.subtle.verify("HMAC", await hmacKey(v), DECOY, signed(mobile, code));
  }
  if (attempt.state === "expired") return answer(400, "CODE_EXPIRED", "The code has expired; ask for a new one.");
  const burnt =
    attempt.state === "exhausted" || (!right && attempt.state === "live" && attempt.attempts >= v.maxAttempts);
  if (burnt) return answer(429, "TOO_MANY_ATTEMPTS", "Too many wrong codes; ask for a new one.");
  if (!right) return answer(400, "CODE_INVALID", INVALID);

  const { token, claims } = await signToken(v, mobile);
  if (v.onVerified) {
    let own;
    try {
      own = await v.onVerified(claims, ctx.request, token);
    } catch (error) {
      ctx.emit({ type: "hook-error", error: String(error?.message ?? error) });
      return answer(500, "INTERNAL_ERROR", "The code was right, but signing in failed; ask for a new code.");
    }
    if (own instanceof Response) return ctx.own(own, "VERIFIED");
  }
  return answer(200, "VERIFIED", "The code is right.", {}, {}, { token });
}
