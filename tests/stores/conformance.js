// The store conformance suite: what every store of the service must do (the interface is
// described at the top of pkg-template/stores/memory.js). Runtime-neutral: Node runs it against
// memoryStore and redisStore (a real redis-server), workerd against durableObjectStore (a real
// Durable Object under wrangler dev). Windows are real time (Redis keeps its own clock), so they
// are short. Returns one row per check: { name, ok, detail }.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `makeStore()` gives a store client; `shared` says whether two clients share their counters
 * (Redis, a Durable Object: yes; memoryStore: each is its own). `prefix` keeps runs apart.
 */
export async function runStoreConformance(makeStore, { shared, prefix = `conf-${Date.now()}-${Math.random()}` }) {
  const rows = [];
  const check = (name, ok, detail = "") => rows.push({ name, ok: Boolean(ok), detail: String(detail) });
  const k = (name) => `${prefix}:${name}`;
  const store = await makeStore();

  // Room, then full: a refusal names the full counter and when its window ends.
  const one = { key: k("one"), limit: 2, windowMs: 60_000 };
  const first = await store.reserve([one]);
  const second = await store.reserve([one]);
  const third = await store.reserve([one]);
  check("counts up to the limit", first.ok && second.ok, JSON.stringify([first, second]));
  check("refuses past the limit, naming the counter", !third.ok && third.key === one.key, JSON.stringify(third));
  check(
    "a refusal says when the window ends",
    !third.ok && third.retryAfterMs > 0 && third.retryAfterMs <= 60_000,
    third.retryAfterMs,
  );

  // All or nothing: a refusal on one counter counts none of the others.
  const tight = { key: k("tight"), limit: 1, windowMs: 60_000 };
  const roomy = { key: k("roomy"), limit: 3, windowMs: 60_000 };
  await store.reserve([tight, roomy]);
  const refused = await store.reserve([roomy, tight]);
  check("refused when any counter is full", !refused.ok && refused.key === tight.key, JSON.stringify(refused));
  const after = [await store.reserve([roomy]), await store.reserve([roomy]), await store.reserve([roomy])];
  check(
    "a refused reservation counted nothing",
    after[0].ok && after[1].ok && !after[2].ok,
    JSON.stringify(after.map((r) => r.ok)),
  );

  // Release gives one back.
  const give = { key: k("give"), limit: 1, windowMs: 60_000 };
  await store.reserve([give]);
  await store.release([give]);
  check("release takes a count back", (await store.reserve([give])).ok);
  await store.release([give]);
  await store.release([give]);
  const twice = [await store.reserve([give]), await store.reserve([give])];
  check("release never goes below zero", twice[0].ok && !twice[1].ok, JSON.stringify(twice.map((r) => r.ok)));

  // A counter of cost 0 needs room and counts nothing.
  const peeked = { key: k("peek"), limit: 1, windowMs: 60_000 };
  const peeks = [await store.reserve([{ ...peeked, cost: 0 }]), await store.reserve([{ ...peeked, cost: 0 }])];
  const counts = await store.reserve([peeked]);
  const full = await store.reserve([{ ...peeked, cost: 0 }, roomy]);
  check(
    "a counter of cost 0 needs room and counts nothing",
    peeks.every((r) => r.ok) && counts.ok && !full.ok && full.key === peeked.key,
    JSON.stringify([peeks, counts, full]),
  );

  // Windows end.
  const brief = { key: k("brief"), limit: 1, windowMs: 300 };
  await store.reserve([brief]);
  const during = await store.reserve([brief]);
  await sleep(450);
  const later = await store.reserve([brief]);
  check("a window ends after windowMs", !during.ok && later.ok, JSON.stringify([during.ok, later.ok]));

  // Keys are apart.
  const a = { key: k("a"), limit: 1, windowMs: 60_000 };
  const b = { key: k("b"), limit: 1, windowMs: 60_000 };
  await store.reserve([a]);
  check("counters of other keys are apart", (await store.reserve([b])).ok);

  // Atomic under concurrency: 50 at once for a limit of 1, exactly one gets through.
  const race = { key: k("race"), limit: 1, windowMs: 60_000 };
  const common = { key: k("race-shared"), limit: 1000, windowMs: 60_000 };
  const outcomes = await Promise.all(Array.from({ length: 50 }, () => store.reserve([common, race])));
  const through = outcomes.filter((r) => r.ok).length;
  check("50 concurrent reservations for a limit of 1: exactly one", through === 1, through);
  const sharedAfter = [];
  for (let i = 0; i < 999; i++) sharedAfter.push(await store.reserve([common]));
  check(
    "the 49 refused spent nothing of a shared counter",
    sharedAfter.every((r) => r.ok) && !(await store.reserve([common])).ok,
    sharedAfter.filter((r) => !r.ok).length,
  );

  // A second client: over the same backing (another instance of the handler) it sees the same
  // counts; a memoryStore is its own.
  const other = await makeStore();
  const seen = await other.reserve([one]);
  if (shared) check("another instance sees the same counters", !seen.ok && seen.key === one.key, JSON.stringify(seen));
  else check("another memory store is its own", seen.ok, JSON.stringify(seen));

  await codeChecks(store, other, { shared, k, check });
  await deliveryChecks(store, other, { shared, k, check });
  await guardChecks(store, other, { shared, k, check });
  return rows;
}

/** The pumping guard: a counter with `guard` (a number range's record), checkCode's guardKey, guardStats. */
async function guardChecks(store, other, { shared, k, check }) {
  const minute = 60_000;
  const list = k("guards");
  /** A range's counter: judged once `limit` sends are counted, suspended for suspendMs. */
  const range = (name, limit, { minConversion = 0.5, suspendMs = minute, windowMs = minute } = {}) => ({
    key: k(`guard:${name}`),
    limit,
    windowMs,
    guard: { minConversion, suspendMs, list },
  });
  const statsOf = async (s = store, of = list) =>
    Object.fromEntries((await s.guardStats(of, Date.now())).map((r) => [r.key, r]));
  /** Puts a code and checks it right, counting it in `guardKey`'s range. */
  let codes = 0;
  const typedBack = async (guardKey) => {
    codes += 1;
    const key = k(`guard-code:${codes}`);
    await store.putCode(key, "h-guard", minute, Date.now());
    return (await store.checkCode(key, ["h-guard"], 3, [], Date.now(), guardKey)).state;
  };

  // Pumped: sends, none typed back.
  const pumped = range("pumped", 3);
  const sends = [];
  for (let i = 0; i < 5; i++) sends.push(await store.reserve([pumped]));
  const [started, after] = [sends[3], sends[4]];
  check(
    "a range counts sends up to its limit; then, with too few typed back, the next reservation starts its suspension and says so, once",
    sends.slice(0, 3).every((r) => r.ok) &&
      !started.ok &&
      started.key === pumped.key &&
      started.retryAfterMs > 0 &&
      started.retryAfterMs <= minute &&
      JSON.stringify(started.suspended) === JSON.stringify({ sends: 3, verified: 0 }) &&
      !after.ok &&
      after.key === pumped.key &&
      after.suspended === undefined &&
      after.retryAfterMs > 0,
    JSON.stringify(sends),
  );

  // Typed back: every code checked right, so the range sends on past its limit.
  const converting = range("converting", 2);
  const converted = [];
  for (let i = 0; i < 6; i++) {
    converted.push((await store.reserve([converting])).ok, await typedBack(converting.key));
  }
  const seen = (await statsOf())[converting.key];
  check(
    "a range whose codes are typed back (checkCode's guardKey) keeps its reservations past its limit",
    converted.every((r) => r === true || r === "verified") && seen?.sends === 6 && seen.verified === 6,
    JSON.stringify([converted, seen]),
  );

  // verified never passes sends; a guardKey with no record makes none.
  const once = range("once", 5);
  await store.reserve([once]);
  const extra = [await typedBack(once.key), await typedBack(once.key), await typedBack(k("guard:no-record"))];
  const capped = await statsOf();
  check(
    "a right check counts one verified in a live range, never past its sends; a range with no record gets none",
    extra.every((s) => s === "verified") &&
      capped[once.key]?.sends === 1 &&
      capped[once.key].verified === 1 &&
      capped[k("guard:no-record")] === undefined,
    JSON.stringify([extra, capped[once.key]]),
  );

  // A reservation refused by another counter counts no send in the range (before or after it).
  const quiet = range("quiet", 5);
  const closed = { key: k("guard-closed"), limit: 0, windowMs: minute };
  const refusedAfter = await store.reserve([quiet, closed]);
  const refusedBefore = await store.reserve([closed, quiet]);
  check(
    "a reservation refused by another counter counts no send in the range",
    !refusedAfter.ok &&
      refusedAfter.key === closed.key &&
      !refusedBefore.ok &&
      refusedBefore.key === closed.key &&
      (await statsOf())[quiet.key] === undefined,
    JSON.stringify([refusedAfter, refusedBefore]),
  );

  // release gives a send back, never below the codes typed back.
  const given = range("given", 5);
  await store.reserve([given]);
  await store.reserve([given]);
  await typedBack(given.key);
  await store.release([given]);
  await store.release([given]);
  const back = (await statsOf())[given.key];
  check(
    "release takes a range's send back, never below its verified",
    back?.sends === 1 && back.verified === 1,
    JSON.stringify(back),
  );

  // Concurrent reservations at the threshold: one is counted, one starts the suspension.
  const raced = range("raced", 4);
  for (let i = 0; i < 3; i++) await store.reserve([raced]);
  const rush = await Promise.all(Array.from({ length: 20 }, () => store.reserve([raced])));
  check(
    "20 concurrent reservations with one send left before the range is judged: exactly one counted, exactly one starts the suspension",
    rush.filter((r) => r.ok).length === 1 &&
      rush.filter((r) => r.suspended).length === 1 &&
      rush.filter((r) => !r.ok).every((r) => r.key === raced.key) &&
      (await statsOf())[raced.key]?.sends === 4,
    JSON.stringify(rush.map((r) => (r.ok ? "ok" : r.suspended ? "started" : "refused"))),
  );

  // A suspension ends after suspendMs, and the range starts afresh.
  const brief = range("brief", 2, { suspendMs: 300 });
  await store.reserve([brief]);
  await store.reserve([brief]);
  const suspended = await store.reserve([brief]);
  const during = await store.reserve([brief]);
  await sleep(450);
  const afterwards = await store.reserve([brief]);
  const fresh = (await statsOf())[brief.key];
  check(
    "a suspension ends after suspendMs, and the range's window with it: it starts afresh",
    suspended.suspended !== undefined &&
      !during.ok &&
      during.retryAfterMs <= 300 &&
      afterwards.ok &&
      fresh?.sends === 1 &&
      fresh.verified === 0 &&
      fresh.suspendedForMs === 0,
    JSON.stringify([suspended, during, afterwards, fresh]),
  );

  // guardStats lists the live records of one list.
  const elsewhere = { ...range("elsewhere", 5), guard: { ...range("x", 5).guard, list: k("guards-other") } };
  await store.reserve([elsewhere]);
  const all = await statsOf();
  const theirs = await statsOf(store, k("guards-other"));
  check(
    "guardStats lists a list's live range records: sends, verified, and how long each stays suspended",
    all[pumped.key]?.sends === 3 &&
      all[pumped.key].verified === 0 &&
      all[pumped.key].suspendedForMs > 0 &&
      all[pumped.key].suspendedForMs <= minute &&
      all[converting.key]?.suspendedForMs === 0 &&
      all[elsewhere.key] === undefined &&
      Object.keys(theirs).join() === elsewhere.key,
    JSON.stringify([all, theirs]),
  );

  const across = await statsOf(other);
  if (shared) {
    check(
      "another instance sees the same ranges",
      JSON.stringify(Object.keys(across).sort()) === JSON.stringify(Object.keys(all).sort()),
      JSON.stringify(across),
    );
  } else check("another memory store has its own ranges", Object.keys(across).length === 0, JSON.stringify(across));
}

/** The pending codes: what every store's putCode and checkCode must do. */
async function codeChecks(store, other, { shared, k, check }) {
  const hash = "h1-keyed-hash";
  const no = []; // no counters
  const key = k("code");
  await store.putCode(key, hash, 60_000);
  const tries = [];
  for (let i = 0; i < 4; i++) tries.push(await store.checkCode(key, ["wrong-hash"], 3, no));
  check(
    "a wrong hash counts a try; maxAttempts tries, then the code is exhausted",
    tries.map((t) => t.attempts ?? t.state).join() === "1,2,3,exhausted",
    JSON.stringify(tries),
  );
  check("nothing pending is none", (await store.checkCode(k("no-code"), [hash], 3, no)).state === "none");

  const once = k("once");
  await store.putCode(once, hash, 60_000);
  const right = await store.checkCode(once, ["another-hash", hash], 3, no);
  const again = await store.checkCode(once, [hash], 3, no);
  await store.putCode(once, hash, 60_000); // TurkeySMS answering a resend with the same code
  const resent = await store.checkCode(once, [hash], 3, no);
  check(
    "any of the hashes verifies; a code works once, and the same code put again stays used",
    right.state === "verified" && again.state === "none" && resent.state === "none",
    JSON.stringify([right, again, resent]),
  );

  const replaced = k("replaced");
  await store.putCode(replaced, "old", 60_000);
  await store.checkCode(replaced, ["x"], 2, no);
  await store.checkCode(replaced, ["x"], 2, no);
  await store.putCode(replaced, "new", 60_000);
  const stale = await store.checkCode(replaced, ["old"], 2, no);
  const fresh = await store.checkCode(replaced, ["new"], 2, no);
  check(
    "a new code replaces the pending one, tries and all",
    stale.state === "wrong" && stale.attempts === 1 && fresh.state === "verified",
    JSON.stringify([stale, fresh]),
  );

  const same = k("same");
  await store.putCode(same, "dup", 60_000);
  await store.checkCode(same, ["x"], 3, no);
  await store.checkCode(same, ["x"], 3, no);
  await store.putCode(same, "dup", 60_000); // TurkeySMS answering a duplicate send with its code
  const kept = await store.checkCode(same, ["x"], 3, no);
  check("the same code put again keeps the tries it has had", kept.attempts === 3, JSON.stringify(kept));

  const brief = k("brief-code");
  await store.putCode(brief, hash, 300);
  await sleep(450);
  const expired = await store.checkCode(brief, [hash], 3, no);
  await sleep(300);
  const gone = await store.checkCode(brief, [hash], 3, no);
  check(
    "a code expires after ttlMs, is remembered as expired for ttlMs more, then is gone",
    expired.state === "expired" && gone.state === "none",
    JSON.stringify([expired, gone]),
  );

  // The counters of a check: counted only against a live code, all or nothing.
  const limit = { key: k("check-limit"), limit: 1, windowMs: 60_000 };
  const spare = { key: k("check-spare"), limit: 5, windowMs: 60_000 };
  const nothing = await store.checkCode(k("none-pending"), [hash], 3, [spare, limit]);
  const counted = k("counted");
  await store.putCode(counted, hash, 60_000);
  const firstCheck = await store.checkCode(counted, ["x"], 3, [spare, limit]);
  const refused = await store.checkCode(counted, [hash], 3, [spare, limit]);
  const spareLeft = [];
  for (let i = 0; i < 5; i++) spareLeft.push((await store.reserve([spare])).ok);
  check(
    "a check with nothing pending counts nothing; a live one counts its counters, and a full one refuses with no try",
    nothing.state === "none" &&
      firstCheck.state === "wrong" &&
      refused.state === "refused" &&
      refused.key === limit.key &&
      refused.retryAfterMs > 0 &&
      spareLeft.join() === "true,true,true,true,false",
    JSON.stringify([nothing, firstCheck, refused, spareLeft]),
  );
  const idleRefused = await store.checkCode(k("idle-after-full"), [hash], 3, [limit]);
  check(
    "a full counter refuses a check whatever is pending: it cannot tell which numbers have a code",
    idleRefused.state === "refused" && idleRefused.key === limit.key,
    JSON.stringify(idleRefused),
  );
  const afterRefusal = await store.checkCode(counted, [hash], 3, []);
  check("a refused check used no try", afterRefusal.state === "verified", JSON.stringify(afterRefusal));

  // Atomic: of 50 concurrent guesses at most maxAttempts are compared, and one right answer wins.
  const raced = k("raced");
  await store.putCode(raced, hash, 60_000);
  const guesses = await Promise.all(Array.from({ length: 50 }, () => store.checkCode(raced, ["x"], 5, no)));
  const compared = guesses.filter((g) => g.state === "wrong");
  check(
    "50 concurrent wrong guesses with maxAttempts 5: exactly 5 are compared",
    compared.length === 5 && new Set(compared.map((g) => g.attempts)).size === 5,
    JSON.stringify(guesses.map((g) => g.attempts ?? g.state)),
  );
  const race = k("race-verify");
  await store.putCode(race, hash, 60_000);
  const answers = await Promise.all(Array.from({ length: 20 }, () => store.checkCode(race, [hash], 5, no)));
  check(
    "20 concurrent right answers: exactly one verifies",
    answers.filter((a) => a.state === "verified").length === 1,
    JSON.stringify(answers.map((a) => a.state)),
  );

  const across = k("across");
  await store.putCode(across, hash, 60_000);
  const seen = await other.checkCode(across, [hash], 5, no);
  if (shared) check("another instance checks the same code", seen.state === "verified", JSON.stringify(seen));
  else check("another memory store has its own codes", seen.state === "none", JSON.stringify(seen));
}

/** Delivery statuses (with the service's webhook): putCode's delivery, delivery, deliveryEvent. */
async function deliveryChecks(store, other, { shared, k, check }) {
  const minute = 60_000;
  /** A send to `number` with its own code and cooldown counter, as the service leaves it. */
  const send = async (name, number, hash) => {
    const cooldown = { key: k(`cool:${number}`), limit: 1, windowMs: minute };
    const counted = await store.reserve([cooldown]);
    const d = { id: k(`send:${name}`), sms: k(`sms:${name}`), latest: k(`latest:${number}`), cooldown };
    await store.putCode(k(`code:${number}`), hash, minute, Date.now(), d);
    return { ...d, counted, code: k(`code:${number}`), hash };
  };
  const one = await send("one", "n1", "h-one");
  check("a send's delivery starts QUEUED", (await store.delivery(one.id, Date.now()))?.status === "QUEUED");
  check("an id no send left has no delivery", (await store.delivery(k("send:nobody"), Date.now())) === null);

  const event = (sms, status, name) => store.deliveryEvent(sms, status, k(`event:${name}`), minute, Date.now());
  const sent = await event(one.sms, "SENT", "e1");
  const again = await event(one.sms, "SENT", "e1");
  const delivered = await event(one.sms, "DELIVERED", "e2");
  const late = await event(one.sms, "SENT", "e3");
  check(
    "a status moves forward only, and the same event twice is a duplicate",
    sent.result === "applied" &&
      sent.status === "SENT" &&
      again.result === "duplicate" &&
      delivered.status === "DELIVERED" &&
      late.result === "ignored" &&
      (await store.delivery(one.id, Date.now()))?.status === "DELIVERED",
    JSON.stringify([sent, again, delivered, late]),
  );
  const unknown = await event(k("sms:nobody"), "FAILED", "e4");
  check("an sms_id no send left changes nothing", unknown.result === "unknown", JSON.stringify(unknown));

  // The number's latest send fails: its cooldown is released and its code dropped.
  const two = await send("two", "n2", "h-two");
  const failed = await event(two.sms, "FAILED", "e5");
  const cooldownAfter = await store.reserve([two.cooldown]);
  const codeAfter = await store.checkCode(two.code, [two.hash], 3, [], Date.now());
  // TurkeySMS answering a resend inside its duplicate window with the failed SMS's code.
  await store.putCode(two.code, two.hash, minute, Date.now());
  const revived = await store.checkCode(two.code, [two.hash], 3, [], Date.now());
  check(
    "a failed latest send frees its number: the cooldown released, its pending code dropped for good",
    two.counted.ok &&
      failed.result === "applied" &&
      failed.freed === true &&
      cooldownAfter.ok &&
      codeAfter.state === "none" &&
      revived.state === "none",
    JSON.stringify([failed, cooldownAfter, codeAfter, revived]),
  );

  // An older send of a number expires after a newer one was made: nothing is freed.
  const old = await send("old", "n3", "h-old");
  await store.release([old.cooldown]);
  const newer = await send("newer", "n3", "h-newer");
  const expired = await event(old.sms, "EXPIRED", "e6");
  const stillCooling = await store.reserve([newer.cooldown]);
  const newerCode = await store.checkCode(newer.code, [newer.hash], 3, [], Date.now());
  check(
    "an older send that expires frees nothing: the newer send keeps its cooldown and code",
    expired.status === "EXPIRED" && expired.freed === false && !stillCooling.ok && newerCode.state === "verified",
    JSON.stringify([expired, stillCooling, newerCode]),
  );

  const seen = await other.delivery(one.id, Date.now());
  if (shared) check("another instance reads the same delivery", seen?.status === "DELIVERED", JSON.stringify(seen));
  else check("another memory store has its own deliveries", seen === null, JSON.stringify(seen));
}
