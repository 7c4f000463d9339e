// The page's budget: a page importing { sendOtp, verifyOtp, normalizeMobile }, built by esbuild,
// Vite and webpack 5 with their production defaults, stays within bench/budget.json in gzipped
// JavaScript, and carries no server code (browser.js never reaches server.js, the stores or jose).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { measurePageBundles } from "./page-bundle.mjs";
import { consumerDir } from "./processes.mjs";

const budget = JSON.parse(readFileSync(join(consumerDir, "bench/budget.json"), "utf8")).pageJsGzipBytes;
// Names only the server has: the handler and service, jose's signing and checking, the stores'
// protocol and the Redis scripts, the metrics' instruments.
const SERVER_CODE = [
  "createOtpHandler",
  "createOtpService",
  "SignJWT",
  "jwtVerify",
  "EVALSHA",
  "redis.call",
  "OtpStore",
  "checkCode",
  "turkeysms_otp.upstream.duration",
];
let bundles;

before(async () => {
  bundles = await measurePageBundles(consumerDir);
});

for (const bundler of ["esbuild", "vite", "webpack"]) {
  const name = { esbuild: "esbuild", vite: "Vite", webpack: "webpack" }[bundler];

  test(`page bundle (${name}): the JS stays within bench/budget.json, gzipped`, () => {
    const { gzipBytes } = bundles[bundler];
    console.log(`page bundle (${name}): ${gzipBytes.toLocaleString("en")} B gzipped JS`);
    assert.ok(
      gzipBytes <= budget,
      `a page's JS is ${gzipBytes} bytes gzipped with ${name}, over the budget of ${budget}: find what the page pulls in, or raise pageJsGzipBytes in a commit that says why`,
    );
  });

  test(`page bundle (${name}): no server code in the emitted JS`, () => {
    const { js } = bundles[bundler];
    assert.ok(js.length > 0, `${name} emitted no .js file`);
    for (const marker of SERVER_CODE) {
      assert.ok(!js.some((text) => text.includes(marker)), `${marker} is in the page's JS built by ${name}`);
    }
  });
}
