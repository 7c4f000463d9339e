// Delivery end to end, over real HTTP, with the sandbox posting TurkeySMS's signed webhooks: a
// send through one instance, the webhooks into another, the status read through the first. Node
// runs it over memoryStore (two handlers, one store), over a real Redis (two instances, each its
// own client) and against the Durable Object store in workerd (wrangler dev). Every row is
// { name, ok, detail }.
//
// `a` and `b` are the two instances' base URLs (their prefix included); the sandbox must post
// its webhooks to b's /webhooks/turkeysms with HOOK_SECRET; `apiKey` is the handlers' key (faults
// are queued for it); `sandbox` is the started sandbox ({ url }).

export const HOOK_SECRET = "whsec_delivery_flow_0123456789";
export const FLOW_SECRET = "delivery-flow-verify-secret-Qm7Tz2Vb9Lx4";
/** The sandbox settings the flow expects: quick lifecycles and retries. */
export const SANDBOX_WEBHOOKS = { webhookDelaysMs: [60, 120], webhookRetryBaseMs: 40, webhookMaxAttempts: 3 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDeliveryFlow({ a, b, apiKey, sandbox, seed }) {
  const rows = [];
  const check = (name, ok, detail = "") => rows.push({ name, ok: Boolean(ok), detail: String(detail) });
  let n = 0;
  const number = () => `90538${String(seed % 10000).padStart(4, "0")}${String(++n).padStart(3, "0")}`;
  const post = async (base, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, ...(await response.json()) };
  };
  const faults = (list) =>
    fetch(`${sandbox.url}/sandbox/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ api_key: apiKey, faults: list }),
    });
  const status = async (id) => (await post(a, "/otp/status", { id })).result_code;
  /** The statuses seen until `want` (or 3 s). */
  const until = async (id, want) => {
    const seen = [];
    for (let i = 0; i < 60; i++) {
      const now = await status(id);
      if (seen.at(-1) !== now) seen.push(now);
      if (now === want) break;
      await sleep(50);
    }
    return seen;
  };
  const postsFor = async (smsId) =>
    (await (await fetch(`${sandbox.url}/sandbox/webhooks?sms_id=${smsId}`)).json()).webhooks;
  const lastMessage = async (wire) =>
    (await (await fetch(`${sandbox.url}/sandbox/messages?mobile=${wire}`)).json()).messages.at(-1);

  // sent → delivered, through the other instance.
  const one = number();
  const sent = await post(a, "/otp/send", { mobile: one });
  const seen = await until(sent.id, "DELIVERED");
  check(
    "a send is QUEUED, then the webhooks into the other instance make it SENT and DELIVERED",
    sent.result_code === "TS-1024" && seen[0] === "QUEUED" && seen.at(-1) === "DELIVERED",
    JSON.stringify([sent.result_code, seen]),
  );

  // failed: the person may ask again at once, and the old code is gone.
  await faults(["webhook-failed"]);
  const two = number();
  const first = await post(a, "/otp/send", { mobile: two });
  const firstCode = (await lastMessage(two)).code;
  const blocked = await post(a, "/otp/send", { mobile: two });
  const failedSeen = await until(first.id, "FAILED");
  const again = await post(a, "/otp/send", { mobile: two });
  const oldCode = await post(b, "/otp/verify", { mobile: two, code: firstCode });
  check(
    "sms.failed: FAILED, the cooldown released (send again works at once), the failed code dropped",
    blocked.result_code === "COOLDOWN" &&
      failedSeen.at(-1) === "FAILED" &&
      again.result_code === "TS-1024" &&
      oldCode.result_code === "CODE_INVALID",
    JSON.stringify([blocked.result_code, failedSeen, again.result_code, oldCode.result_code]),
  );

  await faults(["webhook-expired"]);
  const three = await post(a, "/otp/send", { mobile: number() });
  const expiredSeen = await until(three.id, "EXPIRED");
  check("sms.failed with status expired: EXPIRED", expiredSeen.at(-1) === "EXPIRED", JSON.stringify(expiredSeen));

  // Every event twice, and delivered before sent: DELIVERED all the same.
  await faults(["webhook-duplicate", "webhook-out-of-order"]);
  const four = number();
  const scrambled = await post(a, "/otp/send", { mobile: four });
  await sleep(400);
  const fourSms = (await lastMessage(four)).smsId;
  const fourPosts = await postsFor(fourSms);
  check(
    "duplicated and out-of-order events: each acknowledged (2xx), the status DELIVERED",
    (await status(scrambled.id)) === "DELIVERED" &&
      fourPosts.length === 4 &&
      fourPosts.every((p) => p.status === 200) &&
      fourPosts[0].event_type === "sms.delivered",
    JSON.stringify(fourPosts.map((p) => [p.event_type, p.status])),
  );

  // Refused events change nothing, and the sandbox retries them (as TurkeySMS would).
  for (const [fault, code] of [
    ["webhook-bad-signature", 401],
    ["webhook-no-signature", 401],
    ["webhook-stale", 400],
  ]) {
    await faults([fault]);
    const wire = number();
    const refused = await post(a, "/otp/send", { mobile: wire });
    await sleep(500);
    const posts = await postsFor((await lastMessage(wire)).smsId);
    check(
      `${fault}: refused with ${code}, retried, and the status stays QUEUED`,
      (await status(refused.id)) === "QUEUED" &&
        posts.length >= 2 &&
        posts.every((p) => p.status === code) &&
        posts.some((p) => p.attempt > 1),
      JSON.stringify(posts.map((p) => [p.event_type, p.status, p.attempt])),
    );
  }

  const unknown = await post(a, "/otp/status", { id: "AAAAAAAAAAAAAAAAAAAAAA" });
  check("an id never issued: 404 UNKNOWN_ID", unknown.status === 404 && unknown.result_code === "UNKNOWN_ID");
  return rows;
}

export const DELIVERY_FLOW_ROWS = [
  "a send is QUEUED, then the webhooks into the other instance make it SENT and DELIVERED",
  "sms.failed: FAILED, the cooldown released (send again works at once), the failed code dropped",
  "sms.failed with status expired: EXPIRED",
  "duplicated and out-of-order events: each acknowledged (2xx), the status DELIVERED",
  "webhook-bad-signature: refused with 401, retried, and the status stays QUEUED",
  "webhook-no-signature: refused with 401, retried, and the status stays QUEUED",
  "webhook-stale: refused with 400, retried, and the status stays QUEUED",
  "an id never issued: 404 UNKNOWN_ID",
];

/** The handler config of the flow, for `createOtpHandler` with the runtime's store. */
export const deliveryConfig = (sandboxUrl, apiKey) => ({
  apiKey,
  baseUrl: sandboxUrl,
  prefix: "/api",
  cooldownMs: 60_000,
  verify: { secret: FLOW_SECRET },
  webhook: { secret: HOOK_SECRET },
});
