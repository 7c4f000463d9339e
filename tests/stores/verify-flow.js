// The verify step end to end, runtime-neutral: send through createOtpHandler, read the code from
// the sandbox's inbox, check it through /otp/verify. Node runs it over memoryStore and over a real
// Redis with two handler instances (one sends, the other checks); workerd runs it over the
// Durable Object store. Every branch of /otp/verify is a row: { name, ok, detail }.
//
// makeHandler(config) gives a handler over the store under test (the runtime adds apiKey,
// baseUrl and store); call it twice and the two share that store, as two instances would.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SECRET = "verify-flow-secret-0123456789abcdef";
const OTHER_SECRET = "another-app-secret-9876543210fedcba";

export async function runVerifyFlow({ makeHandler, sandboxUrl, verifyOtpToken, seed }) {
  const rows = [];
  const check = (name, ok, detail = "") => rows.push({ name, ok: Boolean(ok), detail: String(detail) });
  let n = 0;
  /** A number no other run uses: typed the national way, and its wire form. */
  const number = () => {
    n += 1;
    const wire = `90539${String(seed % 10000).padStart(4, "0")}${String(n).padStart(3, "0")}`;
    return { typed: `0${wire.slice(2, 5)} ${wire.slice(5, 8)} ${wire.slice(8)}`, wire };
  };
  const make = (verify = {}, extra = {}) =>
    makeHandler({ cooldownMs: 0, maxRetries: 0, verify: { secret: SECRET, ...verify }, ...extra });
  const call = async (handle, path, body, headers = {}) => {
    const response = await handle(
      new Request(`https://shop.test${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify(body),
      }),
    );
    const json = await response.json();
    return { status: response.status, code: json.result_code, json, headers: response.headers };
  };
  const send = (handle, mobile, headers) => call(handle, "/otp/send", { mobile }, headers);
  const verify = (handle, mobile, code, headers) => call(handle, "/otp/verify", { mobile, code }, headers);
  /** The code of the last SMS the sandbox delivered to `wire`. */
  const codeOf = async (wire) => {
    const { messages } = await (await fetch(`${sandboxUrl}/sandbox/messages?mobile=${wire}`)).json();
    return messages.at(-1)?.code;
  };
  /** A wrong code of the same length: never the right one. */
  const wrongFor = (code) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

  const a = make();
  const b = make();

  // The right code, through the other instance, with the number spelled another way.
  const one = number();
  const sent = await send(a, one.typed);
  const code = await codeOf(one.wire);
  const right = await verify(b, `+${one.wire}`, code);
  check(
    "a code sent through one instance verifies through the other, the number spelled another way",
    sent.code === "TS-1024" &&
      right.status === 200 &&
      right.code === "VERIFIED" &&
      typeof right.json.token === "string",
    JSON.stringify([sent.code, right.status, right.json]),
  );
  let claims = {};
  try {
    claims = await verifyOtpToken(right.json.token, { secret: SECRET });
  } catch (error) {
    claims = { error: error.code };
  }
  check(
    "the token's claims: sub and mobile the number, iat, exp 10 minutes later, a jti",
    claims.sub === one.wire &&
      claims.mobile === one.wire &&
      claims.exp - claims.iat === 600 &&
      /^[0-9a-f-]{36}$/.test(claims.jti),
    JSON.stringify(claims),
  );
  const again = await verify(a, one.typed, code);
  check("a code works once", again.status === 400 && again.code === "CODE_INVALID", JSON.stringify(again.json));
  // TurkeySMS answers a resend inside its duplicate window with the same code and no SMS: the
  // code it puts back is the used one, and stays used.
  const resent = await send(b, one.typed);
  const reused = await verify(a, one.typed, code);
  check(
    "a used code stays used when a resend brings the same code back",
    resent.code === "TS-1024" && reused.code === "CODE_INVALID",
    JSON.stringify([resent.code, reused.code]),
  );

  // Two applications on one store (another secret, so another namespace): apart.
  const otherApp = make({ secret: OTHER_SECRET });
  const shared = number();
  await send(a, shared.typed);
  const sharedCode = await codeOf(shared.wire);
  const burns = [];
  for (let i = 0; i < 6; i++) burns.push((await verify(otherApp, shared.typed, wrongFor(sharedCode))).code);
  const stillGood = await verify(b, shared.typed, sharedCode);
  check(
    "two applications on one store are apart: one's wrong guesses never burn the other's code",
    burns.every((c) => c === "CODE_INVALID") && stillGood.code === "VERIFIED",
    JSON.stringify([burns, stillGood.code]),
  );

  // Wrong, or nothing pending: the same answer.
  const two = number();
  await send(a, two.typed);
  const wrong = await verify(b, two.typed, wrongFor(await codeOf(two.wire)));
  const nothing = await verify(b, number().typed, "123456");
  check(
    "a wrong code and no pending code answer alike (CODE_INVALID)",
    wrong.status === 400 &&
      wrong.code === "CODE_INVALID" &&
      JSON.stringify([nothing.status, nothing.json]) === JSON.stringify([wrong.status, wrong.json]),
    JSON.stringify([wrong.json, nothing.json]),
  );

  // A malformed code is refused by the rules before anything is counted.
  const three = number();
  await send(a, three.typed);
  const malformed = [];
  for (const bad of ["12", "1234567", "12a4", 123456, null]) malformed.push(await verify(b, three.typed, bad));
  const afterMalformed = await verify(b, three.typed, await codeOf(three.wire));
  check(
    "a malformed code is INVALID_CODE, and spends no attempt",
    malformed.every((r) => r.status === 400 && r.code === "INVALID_CODE") && afterMalformed.code === "VERIFIED",
    JSON.stringify([malformed.map((r) => r.code), afterMalformed.code]),
  );

  // maxAttempts wrong tries burn the code.
  const burner = make({ maxAttempts: 3 });
  const four = number();
  await send(burner, four.typed);
  const fourCode = await codeOf(four.wire);
  const tries = [];
  for (let i = 0; i < 3; i++) tries.push((await verify(burner, four.typed, wrongFor(fourCode))).code);
  const late = await verify(burner, four.typed, fourCode);
  check(
    "maxAttempts wrong tries burn the code: TOO_MANY_ATTEMPTS, even for the right one after",
    tries.join() === "CODE_INVALID,CODE_INVALID,TOO_MANY_ATTEMPTS" &&
      late.code === "TOO_MANY_ATTEMPTS" &&
      late.status === 429,
    JSON.stringify([tries, late.code]),
  );

  // It expires.
  const brief = make({ codeTtlMs: 400 });
  const five = number();
  await send(brief, five.typed);
  const fiveCode = await codeOf(five.wire);
  await sleep(600);
  const expired = await verify(brief, five.typed, fiveCode);
  check(
    "a code expires after codeTtlMs (CODE_EXPIRED)",
    expired.code === "CODE_EXPIRED" && expired.status === 400,
    JSON.stringify(expired.json),
  );

  // A new send replaces the pending code. (Its code is 5 digits: an identical request within
  // TurkeySMS's duplicate window would answer the first one's code again.)
  const six = number();
  await send(a, six.typed);
  const oldCode = await codeOf(six.wire);
  await send(make({}, { digits: 5 }), six.typed);
  const newCode = await codeOf(six.wire);
  const old = await verify(a, six.typed, oldCode);
  const fresh = await verify(a, six.typed, newCode);
  check(
    "a new send replaces the pending code",
    newCode.length === 5 && old.code === "CODE_INVALID" && fresh.code === "VERIFIED",
    JSON.stringify([oldCode, newCode, old.code, fresh.code]),
  );

  // Concurrent guesses get no more than maxAttempts comparisons.
  const seven = number();
  await send(a, seven.typed);
  const sevenCode = await codeOf(seven.wire);
  const guesses = await Promise.all(
    Array.from({ length: 9 }, (_, i) => verify(i % 2 ? a : b, seven.typed, wrongFor(sevenCode))),
  );
  const invalid = guesses.filter((g) => g.code === "CODE_INVALID").length;
  const afterGuesses = await verify(a, seven.typed, sevenCode);
  check(
    "9 concurrent wrong guesses over two instances (maxAttempts 5): 4 CODE_INVALID, the rest TOO_MANY_ATTEMPTS, the code burnt",
    invalid === 4 &&
      guesses.every((g) => ["CODE_INVALID", "TOO_MANY_ATTEMPTS"].includes(g.code)) &&
      afterGuesses.code === "TOO_MANY_ATTEMPTS",
    JSON.stringify([guesses.map((g) => g.code), afterGuesses.code]),
  );
  const eight = number();
  await send(a, eight.typed);
  const eightCode = await codeOf(eight.wire);
  const rights = await Promise.all(Array.from({ length: 4 }, (_, i) => verify(i % 2 ? a : b, eight.typed, eightCode)));
  check(
    "4 concurrent right answers over two instances: exactly one VERIFIED",
    rights.filter((r) => r.code === "VERIFIED").length === 1 &&
      rights.filter((r) => r.code === "CODE_INVALID").length === 3,
    JSON.stringify(rights.map((r) => r.code)),
  );

  // Checks against a number with no live code count nothing: no lockout before the code is sent.
  const limited = () => make({ maxAttempts: 10, perNumber: { limit: 3, windowMs: 60_000 } });
  const [l1, l2] = [limited(), limited()];
  const nine = number();
  const idle = [];
  for (let i = 0; i < 6; i++) idle.push((await verify(i % 2 ? l1 : l2, nine.typed, "123456")).code);
  await send(l1, nine.typed);
  const nineCode = await codeOf(nine.wire);
  const afterIdle = await verify(l2, nine.typed, nineCode);
  check(
    "checks with nothing pending count nothing: the number is not locked out before its code is sent",
    idle.every((c) => c === "CODE_INVALID") && afterIdle.code === "VERIFIED",
    JSON.stringify([idle, afterIdle.code]),
  );

  // Checks of a live code are counted per number and per client IP, across instances and codes.
  const twelve = number();
  await send(l1, twelve.typed);
  const twelveCode = await codeOf(twelve.wire);
  const counted = [];
  for (let i = 0; i < 4; i++) counted.push(await verify(i % 2 ? l1 : l2, twelve.typed, wrongFor(twelveCode)));
  const last = counted.at(-1);
  check(
    "checks per number are limited across instances (NUMBER_LIMIT, 429, Retry-After)",
    counted.slice(0, 3).every((r) => r.code === "CODE_INVALID") &&
      last.code === "NUMBER_LIMIT" &&
      last.status === 429 &&
      Number(last.headers.get("retry-after")) > 0,
    JSON.stringify(counted.map((r) => r.code)),
  );
  const perIp = () => make({ perIp: { limit: 2, windowMs: 60_000 } }, { trustProxy: "cloudflare" });
  const [i1, i2] = [perIp(), perIp()];
  const ip = { "CF-Connecting-IP": `198.51.100.${seed % 250}` };
  const targets = [number(), number(), number(), number()];
  for (const target of targets) await send(i1, target.typed, { "CF-Connecting-IP": "203.0.113.9" });
  const fromIp = [];
  // The second has nothing pending: it counts nothing, so it leaves nothing behind.
  for (const [i, target] of [targets[0], number(), targets[1], targets[2]].entries()) {
    fromIp.push((await verify(i % 2 ? i1 : i2, target.typed, "000000", ip)).code);
  }
  const otherIp = await verify(i1, targets[3].typed, "000000", { "CF-Connecting-IP": "198.51.100.251" });
  const wrongOrRight = (c) => c === "CODE_INVALID" || c === "VERIFIED";
  check(
    "checks of live codes per client IP are limited across numbers and instances (IP_LIMIT); checks with nothing pending count nothing; other addresses are not",
    wrongOrRight(fromIp[0]) &&
      fromIp[1] === "CODE_INVALID" &&
      wrongOrRight(fromIp[2]) &&
      fromIp[3] === "IP_LIMIT" &&
      wrongOrRight(otherIp.code),
    JSON.stringify([fromIp, otherIp.code]),
  );

  // The token: another secret, an edit, an expiry.
  const rejection = async (token, options) => {
    try {
      await verifyOtpToken(token, options);
      return "resolved";
    } catch (error) {
      return `${error.name}:${error.code}`;
    }
  };
  const [header, payload, signature] = right.json.token.split(".");
  const edited = `${header}.${btoa(JSON.stringify({ ...claims, sub: "905551112233", mobile: undefined }))
    .replace(/=+$/, "")
    .replace(/\+/g, "-")
    .replace(/\//g, "_")}.${signature}`;
  const none = `${btoa('{"alg":"none","typ":"JWT"}').replace(/=+$/, "")}.${payload}.`;
  const badTokens = [
    await rejection(right.json.token, { secret: `${SECRET}-other` }),
    await rejection(edited, { secret: SECRET }),
    await rejection(none, { secret: SECRET }),
    await rejection(right.json.token, { secret: SECRET, audience: "someone-else" }),
  ];
  check(
    "verifyOtpToken refuses another secret, an edited token, alg none and a wrong audience (TOKEN_INVALID)",
    badTokens.every((t) => t === "OtpError:TOKEN_INVALID"),
    badTokens.join(),
  );
  const shortLived = make({ tokenTtlMs: 1000, issuer: "shop.test", audience: "shop-backend" });
  const ten = number();
  await send(shortLived, ten.typed);
  const tenToken = (await verify(shortLived, ten.typed, await codeOf(ten.wire))).json.token;
  let scoped = {};
  try {
    scoped = await verifyOtpToken(tenToken, { secret: SECRET, issuer: "shop.test", audience: "shop-backend" });
  } catch (error) {
    scoped = { error: error.code };
  }
  await sleep(2100);
  const expiredToken = await rejection(tenToken, { secret: SECRET });
  check(
    "iss and aud when configured; an expired token is TOKEN_EXPIRED",
    scoped.iss === "shop.test" && scoped.aud === "shop-backend" && expiredToken === "OtpError:TOKEN_EXPIRED",
    JSON.stringify([scoped, expiredToken]),
  );

  // onVerified may answer with the application's own Response.
  const hooked = make({
    onVerified: (c, request) =>
      new Response(JSON.stringify({ result: true, result_code: "VERIFIED", user: c.mobile, via: request.method }), {
        headers: { "Content-Type": "application/json", "Set-Cookie": "session=abc; HttpOnly" },
      }),
  });
  const eleven = number();
  await send(hooked, eleven.typed);
  const own = await verify(hooked, eleven.typed, await codeOf(eleven.wire));
  check(
    "onVerified's own Response is the answer (a session cookie)",
    own.status === 200 &&
      own.json.user === eleven.wire &&
      own.json.via === "POST" &&
      own.headers.get("set-cookie")?.includes("session=abc"),
    JSON.stringify([own.status, own.json]),
  );
  return rows;
}

/** The names of the rows, in order: each runtime's test checks it ran every one. */
export const VERIFY_FLOW_ROWS = [
  "a code sent through one instance verifies through the other, the number spelled another way",
  "the token's claims: sub and mobile the number, iat, exp 10 minutes later, a jti",
  "a code works once",
  "a used code stays used when a resend brings the same code back",
  "two applications on one store are apart: one's wrong guesses never burn the other's code",
  "a wrong code and no pending code answer alike (CODE_INVALID)",
  "a malformed code is INVALID_CODE, and spends no attempt",
  "maxAttempts wrong tries burn the code: TOO_MANY_ATTEMPTS, even for the right one after",
  "a code expires after codeTtlMs (CODE_EXPIRED)",
  "a new send replaces the pending code",
  "9 concurrent wrong guesses over two instances (maxAttempts 5): 4 CODE_INVALID, the rest TOO_MANY_ATTEMPTS, the code burnt",
  "4 concurrent right answers over two instances: exactly one VERIFIED",
  "checks with nothing pending count nothing: the number is not locked out before its code is sent",
  "checks per number are limited across instances (NUMBER_LIMIT, 429, Retry-After)",
  "checks of live codes per client IP are limited across numbers and instances (IP_LIMIT); checks with nothing pending count nothing; other addresses are not",
  "verifyOtpToken refuses another secret, an edited token, alg none and a wrong audience (TOKEN_INVALID)",
  "iss and aud when configured; an expired token is TOKEN_EXPIRED",
  "onVerified's own Response is the answer (a session cookie)",
];
