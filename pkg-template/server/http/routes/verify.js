// POST <prefix>/otp/verify with { mobile, code }: the service checks the code; this route signs
// the token a right code answers with (or hands the claims to onVerified, which may answer with
// its own Response: a session cookie, say).

import { refusal } from "../../answers.js";
import { signToken } from "../../token.js";

/** @type {import("../handler.js").Route} */
export const verifyRoute = {
  path: "/otp/verify",
  method: "POST",
  body: "json",
  cors: "page",
  async handle({ c, service, body, request, clientIp, emit }) {
    const { mobile } = await service.check({ mobile: body.mobile, code: body.code, clientIp });
    const v = c.verify;
    const { token, claims } = await signToken(v, mobile);
    if (!v.onVerified) return { code: "VERIFIED", extra: { token } };
    let own;
    try {
      own = await v.onVerified(claims, request, token);
    } catch (error) {
      emit({ type: "hook-error", error: String(error?.message ?? error) });
      throw refusal("INTERNAL_ERROR");
    }
    return own instanceof Response ? own : { code: "VERIFIED", extra: { token } };
  },
};
