// POST <prefix>/webhooks/turkeysms: TurkeySMS's signed delivery events, server to server: no
// CORS, no Origin, no Turnstile. The service checks the signature over the raw bytes, so the
// body is handed over as it came.

/** @type {import("../handler.js").Route} */
export const webhookRoute = {
  path: "/webhooks/turkeysms",
  method: "POST",
  body: "raw",
  cors: "none",
  async handle({ service, raw, request }) {
    await service.webhook({ body: raw, headers: request.headers });
    return { code: "ACCEPTED" };
  },
};
