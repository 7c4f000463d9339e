// The server's policy, as pure functions (policy.js): run from the source by `make test-unit`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketOf, bucketsOf, clientAddress, mask, mayHaveSent, publicFailure, UNKNOWN_CLIENT } from "./policy.js";

const headers = (entries) => new Headers(entries);

test("the client's address comes only from the trusted header", () => {
  const h = headers({ "cf-connecting-ip": "203.0.113.7", "x-forwarded-for": "6.6.6.6, 198.51.100.2, 10.0.0.1" });
  assert.equal(clientAddress(h, "none", 1), null, "no trust: no address, no per-IP limit");
  assert.equal(clientAddress(h, "cloudflare", 1), "203.0.113.7");
  assert.equal(clientAddress(h, "x-forwarded-for", 1), "10.0.0.1", "what the trusted proxy appended");
  assert.equal(clientAddress(h, "x-forwarded-for", 2), "198.51.100.2", "two trusted proxies");
  assert.equal(clientAddress(h, "x-forwarded-for", 4), undefined, "fewer entries than proxies: missing");
  assert.equal(clientAddress(headers({}), "cloudflare", 1), undefined);
});

test("IPv4 counts per address; IPv6 per /64 and per /48; anything else shares one bucket", () => {
  assert.deepEqual(bucketsOf("203.0.113.7"), ["203.0.113.7"]);
  assert.deepEqual(bucketsOf(" 010.1.2.3 "), ["10.1.2.3"]);
  assert.deepEqual(bucketsOf("2001:db8:1:2:3:4:5:6"), ["2001:db8:1:2::/64", "2001:db8:1::/48"]);
  assert.deepEqual(bucketsOf("[2001:DB8:1:2::9]"), ["2001:db8:1:2::/64", "2001:db8:1::/48"]);
  assert.deepEqual(bucketsOf("fe80::1%eth0"), ["fe80:0:0:0::/64", "fe80:0:0::/48"]);
  assert.deepEqual(bucketsOf("::ffff:192.0.2.1"), ["192.0.2.1"], "IPv4-mapped is that IPv4 client");
  // A port some proxies append is not part of the client.
  assert.deepEqual(bucketsOf("203.0.113.7:51234"), ["203.0.113.7"]);
  assert.deepEqual(bucketsOf("[2001:db8:1:2::9]:443"), ["2001:db8:1:2::/64", "2001:db8:1::/48"]);
  for (const bad of ["", "unknown", "256.1.1.1", "1.2.3", "1::2::3", "2001:db8::g", "x".repeat(60), undefined]) {
    assert.deepEqual(bucketsOf(bad), [UNKNOWN_CLIENT], String(bad));
  }
  // A home /56 is 256 /64s, but one /48.
  const home = Array.from({ length: 256 }, (_, i) => bucketsOf(`2001:db8:7:${(0x4500 + i).toString(16)}::1`));
  assert.equal(new Set(home.map(([own]) => own)).size, 256);
  assert.equal(new Set(home.map(([, site]) => site)).size, 1);
  assert.equal(bucketOf("2001:db8:1:2::1"), "2001:db8:1:2::/64");
});

test("the operator sees a masked number", () => {
  assert.equal(mask("905321234567"), "90532*****67");
  assert.equal(mask("1234567"), "*");
});

test("the public hears only its own number's problem, or that sending is unavailable", () => {
  assert.equal(publicFailure("TS-1034"), "INVALID_MOBILE");
  assert.equal(publicFailure("TS-1032"), "COUNTRY_NOT_ALLOWED");
  for (const upstream of ["TS-1027", "TS-1031", "TS-1060", "TIMEOUT", "NETWORK", "HTTP_ERROR"]) {
    assert.equal(publicFailure(upstream), "UNAVAILABLE", upstream);
  }
  assert.ok(mayHaveSent("TIMEOUT") && mayHaveSent("BAD_RESPONSE") && !mayHaveSent("TS-1027"));
});
