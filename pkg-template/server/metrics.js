// otelMetrics(meter): the service's events (onEvent) as OpenTelemetry metrics. It only calls
// createCounter and createHistogram on the Meter it is given: the package neither imports nor
// bundles @opentelemetry/api (an optional peer), so any Meter works, the SDK's or a vendor's.
//
// What each event records (docs/OPERATIONS.md has the table):
//   sent                  turkeysms_otp.sends          { country_code, template }
//   webhook, applied      turkeysms_otp.deliveries     { status }
//   any other with a code turkeysms_otp.refusals       { code }     (not verified)
//   a check's answer      turkeysms_otp.verifications  { result }   (VERIFIED or the refusal)
//   a send that called    turkeysms_otp.upstream.duration (ms)  { result_code }
//   TurkeySMS
// Every attribute comes from a closed set: the service's own codes, TurkeySMS's `TS-####`, a
// calling code, a configured template's name, a delivery status. Never a number (not even
// masked), an address or an id: a value of any other shape is recorded as "other".

/** Our own codes and statuses (`COOLDOWN`, `DELIVERED`, `TIMEOUT`) or TurkeySMS's (`TS-1027`). */
const CODE = /^(?:TS-\d{4}|[A-Z][A-Z_]{0,39})$/;
/**
 * What a call to TurkeySMS ended with: TurkeySMS's own `TS-####`, or the SDK's code for a call
 * that got no TurkeySMS answer. Anything else a server in between said is "other": an upstream's
 * words must not mint new series in the operator's backend.
 */
const UPSTREAM = /^(?:TS-\d{4}|TIMEOUT|NETWORK|HTTP_ERROR|BAD_RESPONSE|ABORTED|INTERNAL_ERROR|NOT_READY)$/;
/** An ITU calling code: 1 to 3 digits. */
const COUNTRY = /^\d{1,3}$/;
/** A configured template's name, or "standard". */
const TEMPLATE = /^[\w .-]{1,64}$/;
/** `value` when it has the shape `pattern` allows, else "other". */
const shaped = (value, pattern) => (typeof value === "string" && pattern.test(value) ? value : "other");

/**
 * The onEvent of createOtpService or createOtpHandler that records the metrics. To keep an
 * onEvent of your own too: `onEvent: (e) => { metrics(e); mine(e); }`.
 * @type {typeof import("../index.d.ts").otelMetrics}
 */
export function otelMetrics(meter) {
  if (typeof meter?.createCounter !== "function" || typeof meter?.createHistogram !== "function") {
    throw new TypeError('otelMetrics: pass an OpenTelemetry Meter, e.g. metrics.getMeter("turkeysms-otp").');
  }
  const counter = (name, unit, description) => meter.createCounter(`turkeysms_otp.${name}`, { unit, description });
  const sends = counter("sends", "{send}", "OTP codes sent, by the number's calling code and the template.");
  const refusals = counter("refusals", "{refusal}", "Answers that were not a success, by the code answered.");
  const verifications = counter("verifications", "{verification}", "Code checks answered, by their result.");
  const deliveries = counter("deliveries", "{delivery}", "Delivery statuses applied from TurkeySMS's webhooks.");
  const upstream = meter.createHistogram("turkeysms_otp.upstream.duration", {
    unit: "ms",
    description: "Duration of the sends to TurkeySMS, by TurkeySMS's result code.",
  });

  return (event) => {
    const { type, code } = event;
    if (type === "sent") {
      sends.add(1, { country_code: shaped(event.country, COUNTRY), template: shaped(event.template, TEMPLATE) });
    } else if (type === "webhook") {
      if (event.result === "applied") deliveries.add(1, { status: shaped(event.delivery, CODE) });
    } else if (type !== "verified" && code !== undefined) {
      refusals.add(1, { code: shaped(code, CODE) });
    }
    if (event.action === "check" && code !== undefined) verifications.add(1, { result: shaped(code, CODE) });
    if (typeof event.upstreamMs === "number") {
      upstream.record(event.upstreamMs, { result_code: shaped(event.upstream, UPSTREAM) });
    }
  };
}
