// The token a successful check over HTTP answers with, and verifyOtpToken for the application's
// backend: a JWT signed with HS256 by `jose`, the JOSE library that runs in every runtime the
// package supports (WebCrypto only). The build bundles the two jose functions used, so nothing
// extra is installed or resolved at run time.
//
// Of one kind only: its header says `typ: "turkeysms-otp+jwt"` and its claims
// `token_use: "turkeysms-otp"`, and verifyOtpToken accepts nothing else, so an application that
// signs its own JWTs with the same secret cannot take one kind for the other.
// Claims: sub (the number, TurkeySMS's form: 905321234567), iat, exp, jti (random, for a backend
// that accepts each token once), and iss / aud when configured. The key is the newest verify
// secret's UTF-8 bytes, as any HS256 library expects; every secret of the list is accepted.

import { errors, jwtVerify, SignJWT } from "jose";
import { sdkError } from "../sdk.js";
import { DEFAULTS } from "./defaults.js";
import { checkSecrets } from "./secrets.js";

export const TOKEN_TYPE = "turkeysms-otp+jwt";
export const TOKEN_USE = "turkeysms-otp";
/** The shape of `sub`: a number in TurkeySMS's form. */
const MOBILE = /^[1-9]\d{6,14}$/;

/** A signed token for `mobile`, and its claims; `v` is the checked verify configuration. */
export async function signToken(v, mobile) {
  const now = Date.now();
  const claims = {
    sub: mobile,
    token_use: TOKEN_USE,
    iat: Math.floor(now / 1000),
    exp: Math.floor((now + v.tokenTtlMs) / 1000),
    jti: crypto.randomUUID(),
    ...(v.issuer !== undefined && { iss: v.issuer }),
    ...(v.audience !== undefined && { aud: v.audience }),
  };
  const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: TOKEN_TYPE }).sign(v.secret[0]);
  return { token, claims: { ...claims, mobile } };
}

/** The claims of a token the handler signed, with `mobile`; rejects with TOKEN_INVALID or TOKEN_EXPIRED. */
export async function verifyToken(token, options) {
  const fail = (code, message, field) => {
    throw sdkError(code, `verifyOtpToken: ${message}`, field);
  };
  if (typeof options !== "object" || options === null) {
    fail("INVALID_OPTIONS", "pass { secret }: the verify.secret of your createOtpHandler.", "options");
  }
  const keys = checkSecrets(options.secret, DEFAULTS.handler.verify, (message) =>
    fail("INVALID_OPTIONS", `secret must be the verify.secret of your createOtpHandler: ${message}`, "secret"),
  );
  for (const name of ["issuer", "audience"]) {
    if (options[name] !== undefined && typeof options[name] !== "string") {
      fail("INVALID_OPTIONS", `${name} must be a string.`, name);
    }
  }
  if (typeof token !== "string" || token === "") {
    fail("TOKEN_INVALID", "the token is missing: pass the token verifyOtp resolved with.", "token");
  }
  let payload;
  let reason = "it could not be read";
  for (const key of keys) {
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ["HS256"],
        typ: TOKEN_TYPE,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ["sub", "iat", "exp", "jti", "token_use"],
      }));
      break;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        fail("TOKEN_EXPIRED", "the token has expired: ask the user to verify their number again.", "token");
      }
      // jose's reason (a bad signature, a wrong typ, iss or aud, a malformed token) names no secret.
      if (error instanceof errors.JOSEError) reason = error.message;
    }
  }
  if (!payload) {
    fail("TOKEN_INVALID", `the token was not signed with this secret or is not one of ours (${reason}).`, "token");
  }
  if (payload.token_use !== TOKEN_USE || typeof payload.sub !== "string" || !MOBILE.test(payload.sub)) {
    fail("TOKEN_INVALID", "the token is not a turkeysms-otp token: it is not one of ours.", "token");
  }
  return { ...payload, mobile: payload.sub };
}
