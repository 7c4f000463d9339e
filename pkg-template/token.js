// The token a successful check answers with, and verifyOtpToken for the application's backend: a
// JWT signed with HS256 by `jose`, the JOSE library that runs in every runtime the package
// supports (WebCrypto only). The build bundles the two jose functions used into the handler's
// file, so nothing extra is installed or resolved at run time.
//
// Claims: sub (the number, TurkeySMS's form: 905321234567), iat, exp, jti (random, for a
// backend that wants each token used once), and iss / aud when configured. The key is the
// verify secret's UTF-8 bytes, as any HS256 library expects: a backend in another language can
// check the token with the same secret.

import { errors, jwtVerify, SignJWT } from "jose";

const encoder = new TextEncoder();
/** The shape of `sub`: a number in TurkeySMS's form. */
const MOBILE = /^[1-9]\d{6,14}$/;

/** The bytes of a secret, or null when it is too short to sign with. */
export function secretBytes(secret, minBytes) {
  if (typeof secret !== "string") return null;
  const bytes = encoder.encode(secret);
  return bytes.length >= minBytes ? bytes : null;
}

/**
 * A signed token for `mobile`, and its claims as `verifyToken` would give them back; `v` is the
 * handler's checked verify configuration.
 */
export async function signToken(v, mobile) {
  const now = Date.now();
  const claims = {
    sub: mobile,
    iat: Math.floor(now / 1000),
    exp: Math.floor((now + v.tokenTtlMs) / 1000),
    jti: crypto.randomUUID(),
    ...(v.issuer !== undefined && { iss: v.issuer }),
    ...(v.audience !== undefined && { aud: v.audience }),
  };
  const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(v.secretBytes);
  return { token, claims: { ...claims, mobile } };
}

/** The claims of a token the handler signed, with `mobile`; rejects with TOKEN_INVALID or TOKEN_EXPIRED. */
export async function verifyToken(token, options, sdk) {
  const minBytes = sdk.defaults().handler.verify.minSecretBytes;
  const fail = (code, message, field) => {
    throw sdk.error(code, `verifyOtpToken: ${message}`, field);
  };
  if (typeof options !== "object" || options === null) {
    fail("INVALID_OPTIONS", "pass { secret }: the verify.secret of your createOtpHandler.", "options");
  }
  const key = secretBytes(options.secret, minBytes);
  if (!key) {
    fail(
      "INVALID_OPTIONS",
      `secret must be the verify.secret of your createOtpHandler (a string of at least ${minBytes} bytes).`,
      "secret",
    );
  }
  for (const name of ["issuer", "audience"]) {
    if (options[name] !== undefined && typeof options[name] !== "string") {
      fail("INVALID_OPTIONS", `${name} must be a string.`, name);
    }
  }
  if (typeof token !== "string" || token === "") {
    fail("TOKEN_INVALID", "the token is missing: pass the token verifyOtp resolved with.", "token");
  }
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ["sub", "iat", "exp", "jti"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      fail("TOKEN_EXPIRED", "the token has expired: ask the user to verify their number again.", "token");
    }
    // jose's reason (a bad signature, a wrong iss or aud, a malformed token) names no secret.
    const reason = error instanceof errors.JOSEError ? error.message : "it could not be read";
    fail("TOKEN_INVALID", `the token was not signed with this secret or is not one of ours (${reason}).`, "token");
  }
  if (typeof payload.sub !== "string" || !MOBILE.test(payload.sub)) {
    fail("TOKEN_INVALID", "the token's subject is not a mobile number: it is not one of ours.", "token");
  }
  return { ...payload, mobile: payload.sub };
}
