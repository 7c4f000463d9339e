// POST <prefix>/otp/send and /otp/detailed: a page asks for a code, with TurkeySMS's own paths
// and bodies, so the page calls sendOtp({ baseUrl: "/api", mobile }) with no key. The service
// decides; this route adds what only HTTP has: the page's template by its text, Turnstile.

import { refusal } from "../../answers.js";
import { bucketOf, UNKNOWN_CLIENT } from "../../policy.js";

const TURNSTILE_SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/** Whether Cloudflare's siteverify accepts `token` for this site (fails closed: no answer is no). */
async function turnstilePassed(turnstile, token, clientIp) {
  const form = new URLSearchParams({ secret: turnstile.secret, response: token });
  const client = clientIp === undefined ? UNKNOWN_CLIENT : bucketOf(clientIp);
  if (client !== UNKNOWN_CLIENT && !client.includes("/")) form.set("remoteip", client);
  try {
    const answer = await fetch(turnstile.siteverifyUrl ?? TURNSTILE_SITEVERIFY, {
      method: "POST",
      body: form,
      signal: AbortSignal.timeout(turnstile.timeoutMs),
    });
    const verdict = await answer.json();
    return (
      verdict?.success === true &&
      (turnstile.hostname === undefined || verdict.hostname === turnstile.hostname) &&
      (turnstile.action === undefined || verdict.action === turnstile.action)
    );
  } catch {
    return false;
  }
}

/**
 * The route of a standard (`kind` "standard") or custom send.
 * @param {"standard" | "custom"} kind
 * @returns {import("../handler.js").Route}
 */
export const sendRoute = (kind) => ({
  path: kind === "custom" ? "/otp/detailed" : "/otp/send",
  method: "POST",
  body: "json",
  cors: "page",
  async handle({ c, service, body, request, clientIp }) {
    let template;
    if (kind === "custom") {
      // Only server-side templates: a page must not turn this into an open SMS relay.
      template = Object.keys(c.templates).find(
        (name) => c.templates[name].title === body.title && c.templates[name].text === body.text,
      );
      if (template === undefined) template = null; // refused by the service as UNKNOWN_TEMPLATE
    }
    const gate =
      c.turnstile &&
      (async () => {
        const token = body["cf-turnstile-response"] ?? request.headers.get("cf-turnstile-response");
        if (typeof token !== "string" || token === "") throw refusal("TURNSTILE_REQUIRED");
        if (!(await turnstilePassed(c.turnstile, token, clientIp))) throw refusal("TURNSTILE_FAILED");
      });
    const { id } = await service.send({ mobile: body.mobile, clientIp, template }, { gate: gate || undefined });
    return { code: "TS-1024", extra: { id } };
  },
});
