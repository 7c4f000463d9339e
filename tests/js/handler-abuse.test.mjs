// createOtpHandler attacked as an attacker would, on the packed package against the sandbox:
// one test per way it used to give. Each fails against the handler before the atomic store.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as otp from "turkeysms-otp";
import { createOtpHandler, isOtpError, memoryStore } from "turkeysms-otp";
import { requestsFor, startSandbox } from "./helpers.mjs";

let sandbox;
before(async () => {
  sandbox = await startSandbox({ rateLimit: 1_000_000 });
});
after(() => sandbox.close());

let counter = 0;
/** A fresh Turkish mobile number, as the page would send it, and its wire form. */
function number() {
  counter += 1;
  const wire = `90538${String(process.pid % 1000).padStart(3, "0")}${String(counter).padStart(4, "0")}`;
  return [`+${wire}`, wire];
}
const config = (extra = {}) => ({ apiKey: "abuse-key-SECRET", baseUrl: sandbox.url, maxRetries: 0, ...extra });
const post = (handle, body, headers = {}) =>
  handle(
    new Request("http://handler.test/otp/send", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
const codeOf = async (response) => (await response.json()).result_code;

describe("counting that cannot be turned against other users", () => {
  test("60 requests for one number spend one code of the global budget, not sixty", async () => {
    const handle = createOtpHandler(config({ globalPerMinute: 60 }));
    const [mobile] = number();
    const codes = [];
    for (let i = 0; i < 60; i++) codes.push(await codeOf(await post(handle, { mobile })));
    assert.equal(codes[0], "TS-1024");
    assert.ok(
      codes.slice(1).every((c) => c === "COOLDOWN"),
      codes.join(),
    );
    const [other] = number();
    assert.equal(await codeOf(await post(handle, { mobile: other })), "TS-1024", "everyone else still gets codes");
  });

  test("requests refused per IP spend nothing of the global budget", async () => {
    const handle = createOtpHandler(config({ globalPerMinute: 5, trustProxy: "cloudflare", perIp: { limit: 1 } }));
    const from = (ip) => post(handle, { mobile: number()[0] }, { "CF-Connecting-IP": ip });
    assert.equal(await codeOf(await from("203.0.113.1")), "TS-1024");
    for (let i = 0; i < 20; i++) assert.equal(await codeOf(await from("203.0.113.1")), "IP_LIMIT");
    for (let i = 2; i <= 5; i++) assert.equal(await codeOf(await from(`203.0.113.${i}`)), "TS-1024");
  });

  test("20 concurrent requests for one number send exactly one SMS", async () => {
    const handle = createOtpHandler(config());
    const [mobile, wire] = number();
    const codes = await Promise.all(Array.from({ length: 20 }, () => post(handle, { mobile }).then(codeOf)));
    assert.equal(codes.filter((c) => c === "TS-1024").length, 1, codes.join());
    assert.equal((await requestsFor(sandbox, wire)).length, 1);
  });

  test("an upstream outage is reported as such, and leaves no cooldown behind", async () => {
    const handle = createOtpHandler(config({ apiKey: "sandbox-html-503" }));
    const [mobile] = number();
    for (let i = 0; i < 3; i++) {
      const response = await post(handle, { mobile });
      assert.equal(response.status, 503);
      assert.equal(await codeOf(response), "UNAVAILABLE", "not COOLDOWN: nothing was sent");
    }
  });

  test("failed sends still spend the number's budget: they cannot be repeated without limit upstream", async () => {
    const handle = createOtpHandler(config({ apiKey: "sandbox-html-503", perNumber: { limit: 2 } }));
    const [mobile, wire] = number();
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(await codeOf(await post(handle, { mobile })));
    assert.deepEqual(codes, ["UNAVAILABLE", "UNAVAILABLE", "NUMBER_LIMIT", "NUMBER_LIMIT"]);
    assert.equal((await requestsFor(sandbox, wire)).length, 2, "two attempts reached TurkeySMS, no more");
  });

  test("the Rate Limiting binding store, which flattened every control to one limit, is gone", () => {
    assert.equal("rateLimitBindingStore" in otp, false);
    assert.equal("memoryLimiterStore" in otp, false);
  });
});

describe("the client's address", () => {
  const limited = (extra) => createOtpHandler(config({ perIp: { limit: 2 }, ...extra }));
  const sendFrom = (handle, headers) => post(handle, { mobile: number()[0] }, headers).then(codeOf);

  test("x-forwarded-for: the address the trusted proxy appended, not what the client wrote", async () => {
    const handle = limited({ trustProxy: "x-forwarded-for" });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await sendFrom(handle, { "X-Forwarded-For": `10.0.${i}.1, 7.7.7.7` }));
    assert.deepEqual(codes, ["TS-1024", "TS-1024", "IP_LIMIT", "IP_LIMIT", "IP_LIMIT"]);
  });

  test("x-forwarded-for behind two trusted proxies (proxyHops: 2)", async () => {
    const handle = limited({ trustProxy: "x-forwarded-for", proxyHops: 2 });
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push(await sendFrom(handle, { "X-Forwarded-For": `1.1.1.${i}, 7.7.7.9, 10.0.0.1` }));
    assert.deepEqual(codes, ["TS-1024", "TS-1024", "IP_LIMIT"]);
  });

  test("a missing or unparseable header shares one bucket: never unlimited", async () => {
    const handle = limited({ trustProxy: "x-forwarded-for" });
    const codes = [];
    for (const header of [{}, { "X-Forwarded-For": "" }, { "X-Forwarded-For": "not-an-ip" }]) {
      codes.push(await sendFrom(handle, header));
    }
    assert.deepEqual(codes, ["TS-1024", "TS-1024", "IP_LIMIT"]);
  });

  test("IPv6 addresses of one /64 share a budget", async () => {
    const handle = limited({ trustProxy: "cloudflare" });
    const codes = [];
    for (const ip of ["2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2:0:0:0:3"]) {
      codes.push(await sendFrom(handle, { "CF-Connecting-IP": ip }));
    }
    assert.deepEqual(codes, ["TS-1024", "TS-1024", "IP_LIMIT"]);
    assert.equal(await sendFrom(handle, { "CF-Connecting-IP": "2001:db8:1:3::1" }), "TS-1024", "another /64");
  });
});

describe("the server decides; the page learns little", () => {
  test("digits and lang come from the server's config; the page's are ignored", async () => {
    const handle = createOtpHandler(config({ digits: 6, lang: "tr" }));
    const [mobile, wire] = number();
    assert.equal(await codeOf(await post(handle, { mobile, digits: 4, lang: 0 })), "TS-1024");
    const [request] = await requestsFor(sandbox, wire);
    assert.equal(request.body.digits, 6);
    assert.equal(request.body.lang, 1);
  });

  test("success is a fixed text; account states are one public code; onEvent tells the operator", async () => {
    const events = [];
    const ok = createOtpHandler(config({ onEvent: (e) => events.push(e) }));
    const sent = await (await post(ok, { mobile: number()[0] })).json();
    const { id, ...fixed } = sent;
    assert.deepEqual(fixed, { result: true, result_code: "TS-1024", result_message: "A code was sent." });
    assert.match(id, /^[\w-]{22}$/, "an opaque id: 128 random bits, base64url");
    for (const apiKey of ["sandbox-no-balance", "sandbox-invalid-key", "sandbox-no-permission"]) {
      const handle = createOtpHandler(config({ apiKey, onEvent: (e) => events.push(e) }));
      const [mobile, wire] = number();
      const response = await post(handle, { mobile });
      assert.equal(response.status, 503);
      const text = await response.text();
      assert.equal(JSON.parse(text).result_code, "UNAVAILABLE");
      assert.ok(!/TS-10|balance|key/i.test(text), text);
      const event = events.at(-1);
      assert.equal(event.type, "failed");
      assert.ok(event.upstream.startsWith("TS-10"), "the operator sees TurkeySMS's real code");
      assert.equal(event.mobile, `${wire.slice(0, 5)}*****${wire.slice(-2)}`, "masked");
      assert.equal(typeof event.ms, "number");
    }
    assert.equal(events[0].type, "sent");
  });

  test("refusals reach onEvent too, with their reason", async () => {
    const events = [];
    const handle = createOtpHandler(config({ onEvent: (e) => events.push(e) }));
    const [mobile] = number();
    await post(handle, { mobile });
    await post(handle, { mobile });
    assert.deepEqual(
      events.map((e) => [e.type, e.code]),
      [
        ["sent", "TS-1024"],
        ["refused", "COOLDOWN"],
      ],
    );
  });

  test("an onEvent that throws or rejects changes nothing for the page", async () => {
    for (const onEvent of [
      () => {
        throw new Error("x");
      },
      () => Promise.reject(new Error("y")),
    ]) {
      const handle = createOtpHandler(config({ onEvent }));
      assert.equal(await codeOf(await post(handle, { mobile: number()[0] })), "TS-1024");
    }
  });
});

describe("what the handler will not wait for, and what it will not accept", () => {
  test("a body that never finishes is answered 408 at bodyTimeoutMs", async () => {
    const handle = createOtpHandler(config({ bodyTimeoutMs: 300 }));
    const body = new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"mobile":')) });
    const started = performance.now();
    const response = await handle(
      new Request("http://handler.test/otp/send", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
        duplex: "half",
      }),
    );
    assert.equal(response.status, 408);
    assert.equal(await codeOf(response), "BODY_TIMEOUT");
    assert.ok(performance.now() - started < 1500);
  });

  const refuses = (extra, field) => {
    let error;
    try {
      createOtpHandler(extra);
    } catch (e) {
      error = e;
    }
    assert.ok(isOtpError(error), `expected createOtpHandler to throw for ${JSON.stringify(extra)}`);
    assert.equal(error.code, "INVALID_CONFIG");
    assert.equal(error.field, field);
    assert.match(error.message, new RegExp(field.split(".").at(-1)));
  };

  test("configuration mistakes throw from createOtpHandler, naming the option", () => {
    refuses({}, "apiKey");
    refuses({ apiKey: "k", globalPerMinute: -1 }, "globalPerMinute");
    refuses({ apiKey: "k", perNumber: { limit: 1.5 } }, "perNumber.limit");
    refuses({ apiKey: "k", cooldwnMs: 1000 }, "cooldwnMs");
    refuses({ apiKey: "k", templates: { login: { title: "MyApp", text: "no code here" } } }, "templates.login.text");
    refuses({ apiKey: "k", trustProxy: "yes" }, "trustProxy");
    refuses({ apiKey: "k", digits: 7 }, "digits");
    refuses({ apiKey: "k", store: {} }, "store");
    refuses({ apiKey: "k", turnstile: { siteverifyUrl: "x" } }, "turnstile");
  });

  test("an option given as undefined keeps its default", async () => {
    const handle = createOtpHandler(config({ globalPerMinute: undefined, prefix: undefined, cooldownMs: undefined }));
    assert.equal(await codeOf(await post(handle, { mobile: number()[0] })), "TS-1024");
  });

  test("a store that fails refuses with 503 STORE_UNAVAILABLE and sends nothing", async () => {
    const broken = { reserve: () => Promise.reject(new Error("down")), release: async () => {} };
    const handle = createOtpHandler(config({ store: broken }));
    const [mobile, wire] = number();
    const response = await post(handle, { mobile });
    assert.equal(response.status, 503);
    assert.equal(await codeOf(response), "STORE_UNAVAILABLE");
    assert.equal((await requestsFor(sandbox, wire)).length, 0);
  });

  test("memoryStore is the default and can be passed explicitly", async () => {
    const handle = createOtpHandler(config({ store: memoryStore() }));
    assert.equal(await codeOf(await post(handle, { mobile: number()[0] })), "TS-1024");
  });
});

describe("who is the handler's own site", () => {
  const from = (handle, url, headers) =>
    handle(
      new Request(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify({ mobile: number()[0] }),
      }),
    ).then(codeOf);

  test("a page on the host the request was sent to is same-origin, even when the server rebuilt the URL", async () => {
    // Next.js gives route handlers http://localhost:<port>/…; a TLS-terminating proxy makes it http://.
    const handle = createOtpHandler(config());
    assert.equal(
      await from(handle, "http://localhost:3000/otp/send", { Origin: "https://shop.test", Host: "shop.test" }),
      "TS-1024",
    );
    assert.equal(
      await from(handle, "http://10.0.0.5:8080/otp/send", { Origin: "https://shop.test:8443", Host: "shop.test:8443" }),
      "TS-1024",
    );
  });

  test("another site is refused whatever it sends: its Origin never matches the Host a browser sets", async () => {
    const handle = createOtpHandler(config());
    for (const Origin of ["https://evil.test", "https://shop.test.evil.test", "null", "https://shop.test:444"]) {
      assert.equal(
        await from(handle, "http://localhost:3000/otp/send", { Origin, Host: "shop.test" }),
        "ORIGIN_NOT_ALLOWED",
        Origin,
      );
    }
    assert.equal(
      await from(handle, "http://localhost:3000/otp/send", { Origin: "https://shop.test" }),
      "ORIGIN_NOT_ALLOWED",
      "no Host header: only the URL's origin is the handler's own",
    );
  });
});
