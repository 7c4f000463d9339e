// The SMS-pumping guard end to end, runtime-neutral: sends through createOtpHandler (and
// createOtpService for check and stats(), on the same store and namespace), codes read from the
// sandbox's inbox. Node runs it over memoryStore and a real Redis, workerd over the Durable Object
// store. Every row is { name, ok, detail }.
//
// makeService(config) and makeHandler(config) give a service and a handler over the store under
// test (the runtime adds baseUrl and store); `apiKey` is the key they send with, for the sandbox's
// faults.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SECRET = "guard-flow-secret-0123456789abcdefghij";

export async function runGuardFlow({ makeService, makeHandler, sandboxUrl, apiKey, seed }) {
  const rows = [];
  const check = (name, ok, detail = "") => rows.push({ name, ok: Boolean(ok), detail: String(detail) });
  let runs = 0;
  /** A service and a handler on one namespace of their own, with the guard, and their events. */
  const guarded = (guard = {}) => {
    runs += 1;
    const events = [];
    const config = {
      apiKey,
      namespace: `guard-${seed}-${runs}`,
      cooldownMs: 0,
      maxRetries: 0,
      verify: { secret: SECRET },
      guard: { minSends: 4, minConversion: 0.5, suspendMs: 60_000, ...guard },
      onEvent: (event) => events.push(event),
    };
    return { service: makeService(config), handle: makeHandler(config), events };
  };
  /** The `n`th number of range `r` (8 digits: 90539 and 3 of its own). */
  const numberOf = (r, n) => `90539${String(r).padStart(3, "0")}${String(n).padStart(4, "0")}`;
  const send = async (handle, wire) => {
    const response = await handle(
      new Request("https://shop.test/otp/send", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ mobile: `+${wire}` }),
      }),
    );
    return {
      status: response.status,
      code: (await response.json()).result_code,
      retryAfter: response.headers.get("retry-after"),
    };
  };
  const codeOf = async (wire) => {
    const { messages } = await (await fetch(`${sandboxUrl}/sandbox/messages?mobile=${wire}`)).json();
    return messages.at(-1)?.code;
  };
  const typedBack = async (service, wire) => {
    try {
      return Boolean(await service.check({ mobile: wire, code: await codeOf(wire) }));
    } catch {
      return false;
    }
  };
  const rangeOf = (stats, prefix) => stats.prefixes.find((p) => p.prefix === prefix);
  const suspendedEvents = (events) => events.filter((e) => e.type === "prefix-suspended");

  // One service: a pumped range, a range whose codes are typed back, an untouched one.
  const { service, handle, events } = guarded();
  const pumped = [];
  for (let n = 0; n < 6; n++) pumped.push(await send(handle, numberOf(1, n)));
  const [refused] = pumped.slice(4);
  const started = suspendedEvents(events);
  check(
    "a pumped range (codes sent, none typed back) is suspended at minSends: 429 PREFIX_SUSPENDED with Retry-After, one prefix-suspended event with the range, its sends and verified",
    pumped.slice(0, 4).every((r) => r.code === "TS-1024") &&
      pumped.slice(4).every((r) => r.status === 429 && r.code === "PREFIX_SUSPENDED") &&
      Number(refused.retryAfter) > 0 &&
      Number(refused.retryAfter) <= 60 &&
      started.length === 1 &&
      started[0].prefix === numberOf(1, 0).slice(0, 8) &&
      started[0].sends === 4 &&
      started[0].verified === 0,
    JSON.stringify([pumped, started]),
  );

  const converting = [];
  for (let n = 0; n < 7; n++) {
    const sent = await send(handle, numberOf(2, n));
    converting.push(sent.code, n % 2 === 0 ? await typedBack(service, numberOf(2, n)) : "not typed");
  }
  check(
    "a range whose codes are typed back (half of them, through check) keeps sending past minSends while the pumped one is suspended",
    converting.filter((c) => c === "TS-1024").length === 7 &&
      converting.filter((c) => c === true).length === 4 &&
      (await send(handle, numberOf(1, 9))).code === "PREFIX_SUSPENDED",
    JSON.stringify(converting),
  );

  const untouched = await send(handle, numberOf(3, 0));
  check("a third, untouched range keeps working", untouched.code === "TS-1024", JSON.stringify(untouched));

  const stats = await service.stats();
  const one = rangeOf(stats, numberOf(1, 0).slice(0, 8));
  const two = rangeOf(stats, numberOf(2, 0).slice(0, 8));
  const three = rangeOf(stats, numberOf(3, 0).slice(0, 8));
  const top = await service.stats({ limit: 1 });
  check(
    "stats() matches what was sent and typed back: per range (most sends first) and per country; stats({ limit: 1 }) lists the range with most sends, its countries and count still of all",
    stats.windowMs === 3_600_000 &&
      stats.ranges === 3 &&
      stats.prefixes.length === 3 &&
      stats.prefixes.map((p) => p.prefix).join() === [two, one, three].map((p) => p?.prefix).join() &&
      JSON.stringify(two) ===
        JSON.stringify({
          prefix: two?.prefix,
          country: "90",
          sends: 7,
          verified: 4,
          conversion: 4 / 7,
          suspendedForMs: 0,
        }) &&
      one.sends === 4 &&
      one.verified === 0 &&
      one.conversion === 0 &&
      one.suspendedForMs > 0 &&
      one.suspendedForMs <= 60_000 &&
      three.sends === 1 &&
      three.suspendedForMs === 0 &&
      JSON.stringify(stats.countries) ===
        JSON.stringify([{ country: "90", sends: 12, verified: 4, conversion: 4 / 12 }]) &&
      JSON.stringify(top) === JSON.stringify({ ...stats, prefixes: [two] }),
    JSON.stringify([stats, top]),
  );

  const sent = events.find((e) => e.type === "sent");
  const refusedEvent = events.find((e) => e.type === "refused" && e.code === "PREFIX_SUSPENDED");
  check(
    "send events carry the number's country and the template; the refusal that started a suspension follows its prefix-suspended event",
    sent?.country === "90" &&
      sent.template === "standard" &&
      refusedEvent?.country === "90" &&
      refusedEvent.template === "standard" &&
      events.indexOf(started[0]) + 1 === events.indexOf(refusedEvent),
    JSON.stringify([sent, refusedEvent]),
  );

  // A send refused by another counter counts nothing in its range.
  const limited = guarded();
  const handleLimited = makeHandler({
    apiKey,
    namespace: `guard-${seed}-${runs}`,
    cooldownMs: 60_000,
    maxRetries: 0,
    verify: { secret: SECRET },
    guard: { minSends: 4, minConversion: 0.5, suspendMs: 60_000 },
  });
  const twice = [await send(handleLimited, numberOf(4, 0)), await send(handleLimited, numberOf(4, 0))];
  const afterCooldown = rangeOf(await limited.service.stats(), numberOf(4, 0).slice(0, 8));
  check(
    "a send refused by another counter (COOLDOWN) counts nothing toward its range",
    twice[0].code === "TS-1024" && twice[1].code === "COOLDOWN" && afterCooldown?.sends === 1,
    JSON.stringify([twice, afterCooldown]),
  );

  // Failed upstream: surely not sent → given back; may have gone out → stays counted.
  const failing = guarded();
  const fault = async (name) =>
    fetch(`${sandboxUrl}/sandbox/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ api_key: apiKey, faults: [name] }),
    });
  await fault("unknown-code");
  const unsent = await send(failing.handle, numberOf(5, 0));
  const afterUnsent = rangeOf(await failing.service.stats(), numberOf(5, 0).slice(0, 8));
  await fault("not-envelope");
  const maybe = await send(failing.handle, numberOf(5, 1));
  const afterMaybe = rangeOf(await failing.service.stats(), numberOf(5, 0).slice(0, 8));
  check(
    "a send that failed upstream is given back to its range when it surely did not go out (TS-1999), kept when it may have (BAD_RESPONSE)",
    unsent.code === "UNAVAILABLE" &&
      afterUnsent?.sends === 0 &&
      maybe.code === "UNAVAILABLE" &&
      afterMaybe?.sends === 1 &&
      failing.events
        .filter((e) => e.type === "failed")
        .map((e) => e.upstream)
        .join() === "TS-1999,BAD_RESPONSE",
    JSON.stringify([unsent, afterUnsent, maybe, afterMaybe, failing.events.map((e) => e.upstream)]),
  );

  // Concurrent sends at the threshold.
  const rush = guarded();
  for (let n = 0; n < 3; n++) await send(rush.handle, numberOf(6, n));
  const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => send(rush.handle, numberOf(6, 10 + i))));
  check(
    "8 sends at once to a range one send short of minSends: exactly one passes, one prefix-suspended event, the rest PREFIX_SUSPENDED",
    burst.filter((r) => r.code === "TS-1024").length === 1 &&
      burst.filter((r) => r.code === "PREFIX_SUSPENDED").length === 7 &&
      suspendedEvents(rush.events).length === 1 &&
      suspendedEvents(rush.events)[0].sends === 4,
    JSON.stringify([burst.map((r) => r.code), suspendedEvents(rush.events)]),
  );

  // The end of a suspension.
  const brief = guarded({ suspendMs: 400 });
  for (let n = 0; n < 5; n++) await send(brief.handle, numberOf(7, n));
  const during = await send(brief.handle, numberOf(7, 5));
  await sleep(550);
  const after = await send(brief.handle, numberOf(7, 6));
  const fresh = rangeOf(await brief.service.stats(), numberOf(7, 0).slice(0, 8));
  check(
    "a suspension ends after suspendMs: the range sends again, starting afresh",
    during.code === "PREFIX_SUSPENDED" &&
      Number(during.retryAfter) === 1 &&
      after.code === "TS-1024" &&
      fresh?.sends === 1 &&
      fresh.suspendedForMs === 0,
    JSON.stringify([during, after, fresh]),
  );
  return rows;
}

/** The names of the rows, in order: each runtime's test checks it ran every one. */
export const GUARD_FLOW_ROWS = [
  "a pumped range (codes sent, none typed back) is suspended at minSends: 429 PREFIX_SUSPENDED with Retry-After, one prefix-suspended event with the range, its sends and verified",
  "a range whose codes are typed back (half of them, through check) keeps sending past minSends while the pumped one is suspended",
  "a third, untouched range keeps working",
  "stats() matches what was sent and typed back: per range (most sends first) and per country; stats({ limit: 1 }) lists the range with most sends, its countries and count still of all",
  "send events carry the number's country and the template; the refusal that started a suspension follows its prefix-suspended event",
  "a send refused by another counter (COOLDOWN) counts nothing toward its range",
  "a send that failed upstream is given back to its range when it surely did not go out (TS-1999), kept when it may have (BAD_RESPONSE)",
  "8 sends at once to a range one send short of minSends: exactly one passes, one prefix-suspended event, the rest PREFIX_SUSPENDED",
  "a suspension ends after suspendMs: the range sends again, starting afresh",
];
