// The store conformance suite: what every store of the handler must do (the interface is
// described at the top of pkg-template/store-memory.js). Runtime-neutral: Node runs it against
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
  return rows;
}

/** The pending codes: what every store's putCode, attemptCode and consumeCode must do. */
async function codeChecks(store, other, { shared, k, check }) {
  const hash = "h1-keyed-hash";
  const key = k("code");
  await store.putCode(key, hash, 60_000);
  const first = await store.attemptCode(key, 3);
  check(
    "an attempt on a pending code counts and answers its hash",
    first.state === "live" && first.hash === hash && first.attempts === 1,
    JSON.stringify(first),
  );
  const second = await store.attemptCode(key, 3);
  const third = await store.attemptCode(key, 3);
  const fourth = await store.attemptCode(key, 3);
  check(
    "maxAttempts attempts, then the code is exhausted",
    second.attempts === 2 && third.attempts === 3 && fourth.state === "exhausted",
    JSON.stringify([second, third, fourth]),
  );
  check("nothing pending is none", (await store.attemptCode(k("no-code"), 3)).state === "none");

  const once = k("once");
  await store.putCode(once, hash, 60_000);
  const wrong = await store.consumeCode(once, "another-hash");
  const right = await store.consumeCode(once, hash);
  const again = await store.consumeCode(once, hash);
  const afterUse = await store.attemptCode(once, 3);
  check(
    "a code is consumed once, only with its own hash",
    !wrong && right && !again && afterUse.state === "none",
    JSON.stringify([wrong, right, again, afterUse]),
  );

  const replaced = k("replaced");
  await store.putCode(replaced, "old", 60_000);
  await store.attemptCode(replaced, 2);
  await store.attemptCode(replaced, 2);
  await store.putCode(replaced, "new", 60_000);
  const fresh = await store.attemptCode(replaced, 2);
  const stale = await store.consumeCode(replaced, "old");
  check(
    "a new code replaces the pending one, attempts and all",
    fresh.state === "live" && fresh.hash === "new" && fresh.attempts === 1 && !stale,
    JSON.stringify([fresh, stale]),
  );

  const same = k("same");
  await store.putCode(same, "dup", 60_000);
  await store.attemptCode(same, 3);
  await store.attemptCode(same, 3);
  await store.putCode(same, "dup", 60_000); // TurkeySMS answering a duplicate send with its code
  const kept = await store.attemptCode(same, 3);
  check(
    "the same code put again keeps the tries it has had",
    kept.state === "live" && kept.attempts === 3,
    JSON.stringify(kept),
  );

  const brief = k("brief-code");
  await store.putCode(brief, hash, 300);
  await sleep(450);
  const expired = await store.attemptCode(brief, 3);
  const notConsumed = await store.consumeCode(brief, "x");
  await sleep(300);
  const gone = await store.attemptCode(brief, 3);
  check(
    "a code expires after ttlMs, is remembered as expired for ttlMs more, then is gone",
    expired.state === "expired" && !notConsumed && gone.state === "none",
    JSON.stringify([expired, gone]),
  );

  // Atomic: of 50 concurrent guesses at most maxAttempts are compared, and one right answer wins.
  const raced = k("raced");
  await store.putCode(raced, hash, 60_000);
  const attempts = await Promise.all(Array.from({ length: 50 }, () => store.attemptCode(raced, 5)));
  const live = attempts.filter((a) => a.state === "live");
  check(
    "50 concurrent attempts with maxAttempts 5: exactly 5 are compared",
    live.length === 5 && new Set(live.map((a) => a.attempts)).size === 5,
    JSON.stringify(attempts.map((a) => a.attempts ?? a.state)),
  );
  const race = k("race-consume");
  await store.putCode(race, hash, 60_000);
  const consumed = await Promise.all(Array.from({ length: 20 }, () => store.consumeCode(race, hash)));
  check(
    "20 concurrent right answers: exactly one consumes the code",
    consumed.filter(Boolean).length === 1,
    consumed.filter(Boolean).length,
  );

  const across = k("across");
  await store.putCode(across, hash, 60_000);
  const seen = await other.attemptCode(across, 5);
  if (shared) {
    check("another instance checks the same code", seen.state === "live" && seen.hash === hash, JSON.stringify(seen));
  } else check("another memory store has its own codes", seen.state === "none", JSON.stringify(seen));
}
