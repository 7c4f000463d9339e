// The package as a publisher checks it: types under tsc --strict, publint, and
// arethetypeswrong for node10, node16 (CJS and ESM) and bundler resolution.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { consumerDir, run } from "./processes.mjs";

const packageDir = dirname(createRequire(join(consumerDir, "package.json")).resolve("turkeysms-otp/package.json"));
const types = join(consumerDir, "tests/runtimes/fixtures/types");

for (const resolution of ["node16", "bundler"]) {
  test(`tsc --strict compiles a consumer of every export (${resolution} resolution), and every wrong type fails`, async () => {
    const { code, stdout, stderr } = await run("tsc", ["-p", join(types, `tsconfig.${resolution}.json`)]);
    assert.equal(code, 0, stdout + stderr);
  });
}

test("tsc --strict compiles a consumer of turkeysms-otp/better-auth with better-auth's types (import and require)", async () => {
  const { code, stdout, stderr } = await run("tsc", ["-p", join(types, "tsconfig.better-auth.json")]);
  assert.equal(code, 0, stdout + stderr);
});

test("tsc notices when a @ts-expect-error line compiles after all", async () => {
  // The guard of the test above: remove one expected error and tsc must fail.
  const { writeFileSync } = await import("node:fs");
  const source = readFileSync(join(types, "consumer.mts"), "utf8").replace(
    'mobile: "x", digits: 7',
    'mobile: "x", digits: 6',
  );
  writeFileSync(join(types, "loosened.mts"), source);
  const config = { extends: "./tsconfig.bundler.json", files: ["loosened.mts"] };
  writeFileSync(join(types, "tsconfig.loosened.json"), JSON.stringify(config));
  const { code, stdout } = await run("tsc", ["-p", join(types, "tsconfig.loosened.json")]);
  assert.notEqual(code, 0);
  assert.match(stdout, /Unused '@ts-expect-error' directive/);
});

test("no `any` in the public types", () => {
  for (const [file, declares] of [
    ["index.d.ts", "sendOtp"],
    ["index.d.cts", "sendOtp"],
    ["better-auth.d.ts", "turkeysmsPhoneNumber"],
    ["better-auth.d.cts", "turkeysmsPhoneNumber"],
  ]) {
    const text = readFileSync(join(packageDir, file), "utf8");
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    assert.ok(!/\bany\b/.test(code), `${file} has \`any\` in a type`);
    assert.match(text, new RegExp(`export declare function ${declares}\\(`));
  }
});

test("turkeysms-otp/better-auth loads no wasm of its own: it imports turkeysms-otp and better-auth/api, and bundles neither", () => {
  for (const [file, imports] of [
    ["better-auth.js", /from"better-auth\/api".*from"turkeysms-otp"/s],
    ["better-auth.cjs", /require\("better-auth\/api"\).*require\("turkeysms-otp"\)/s],
  ]) {
    const text = readFileSync(join(packageDir, file), "utf8");
    assert.match(text, imports, file);
    assert.doesNotMatch(text, /WebAssembly|turkeysms_otp\.wasm|glue\.c?js|APIError\s*=\s*class/, file);
  }
});

test("publint reports nothing", async () => {
  const { code, stdout, stderr } = await run("publint", ["run", packageDir]);
  assert.equal(code, 0, stdout + stderr);
  assert.match(stdout, /All good!/);
});

test("arethetypeswrong: no problem for node10, node16 (CJS, ESM) and bundler, every subpath included", async () => {
  const { code, stdout, stderr } = await run("attw", ["--pack", packageDir, "--format", "table"]);
  assert.equal(code, 0, stdout + stderr);
  assert.match(stdout, /No problems found/);
  // The .wasm subpath is checked too (it has types: a WebAssembly.Module where .wasm is imported).
  assert.match(stdout, /"turkeysms-otp\/turkeysms_otp\.wasm"/);
  assert.match(stdout, /"turkeysms-otp\/better-auth"/);
});

test("size budget: the gzipped .wasm stays within bench/budget.json", async () => {
  const { gzipSync } = await import("node:zlib");
  const budget = JSON.parse(readFileSync(join(consumerDir, "bench/budget.json"), "utf8")).wasmGzipBytes;
  const bytes = gzipSync(readFileSync(join(packageDir, "turkeysms_otp.wasm")), { level: 9 }).length;
  console.log(`size budget: ${bytes} of ${budget} bytes gzipped`);
  assert.ok(
    bytes <= budget,
    `the .wasm is ${bytes} bytes gzipped, over the budget of ${budget}: cut, or raise the budget in a commit that says why`,
  );
});

test("the installed README's links work: every relative link resolves inside the package; no repository-only paths", async () => {
  const { existsSync } = await import("node:fs");
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const relative = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)\s]*)?\)/g)]
    .map((m) => m[1])
    .filter((href) => !/^[a-z]+:/.test(href));
  assert.ok(relative.length >= 3, `read the README's relative links: ${relative}`);
  for (const href of relative) assert.ok(existsSync(join(packageDir, href)), `${href} is in the package`);
  // The docs it ships link among themselves: those resolve too.
  for (const doc of new Set(relative.filter((href) => href.endsWith(".md")))) {
    const text = readFileSync(join(packageDir, doc), "utf8");
    for (const [, href] of text.matchAll(/\]\(([^)#\s:]+\.md)(#[^)\s]*)?\)/g)) {
      assert.ok(existsSync(join(packageDir, dirname(doc), href)), `${doc} links to ${href}, which is in the package`);
    }
  }
  for (const local of [/\bmake (test|demo|sandbox|bench)\b/, /`tests\//, /`examples\//]) {
    assert.doesNotMatch(readme, local, "a path that only exists in the repository");
  }
});
