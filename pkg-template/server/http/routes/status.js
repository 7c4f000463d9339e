// POST <prefix>/otp/status with { id }: the delivery status of a send (the `id` its answer
// carried), for a page that shows it and offers "send again" the moment an SMS fails.

/** @type {import("../handler.js").Route} */
export const statusRoute = {
  path: "/otp/status",
  method: "POST",
  body: "json",
  cors: "page",
  async handle({ service, body }) {
    const { status } = await service.status(body.id);
    return { code: status };
  },
};
