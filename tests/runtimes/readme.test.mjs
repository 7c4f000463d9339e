// The README's code cannot rot: every ```js and ```ts block is extracted and compiled by
// `tsc --strict --exactOptionalPropertyTypes` against the installed package's types, and the
// blocks marked ```js run are run by Node against the sandbox. Names a snippet leaves to the
// reader (a form, a Worker's env) are declared once below, with the types a real program has.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { serveStatic } from "../../scripts/static-server.mjs";
import { launchChromium } from "../chromium.mjs";
import { startSandbox } from "../js/helpers.mjs";
import { consumerDir, run } from "./processes.mjs";

const readme = readFileSync(join(consumerDir, "../../README.md"), "utf8");
const blocks = [...readme.matchAll(/^```(js|ts)( run)?\n([\s\S]*?)^```$/gm)].map((m, i) => ({
  index: i,
  line: readme.slice(0, m.index).split("\n").length,
  runnable: Boolean(m[2]),
  code: m[3],
}));
const dir = join(consumerDir, "readme-blocks");

/** What the snippets take as given: the page's form, a Worker's env, a key and a number. */
const GIVEN = `
declare global {
  const env: { TURKEYSMS_API_KEY: string; OTP_SECRET: string; TURKEYSMS_WEBHOOK_SECRET: string };
  const form: { mobile: { value: string }; code: { value: string } };
  const apiKey: string | undefined;
  const mobile: string;
  const token: string;
  function showFieldError(field: string | undefined, message: string): void;
  function alertOps(message: string): void;
}
export {};
`;

/** Every export, imported for snippets that use one without importing it (they continue an earlier one). */
const EXPORTS = Object.keys(await import("turkeysms-otp")).filter((name) => !name.startsWith("__"));

function asModule(block) {
  const imported = new Set(
    [...block.code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"turkeysms-otp"/g)].flatMap((m) =>
      m[1].split(",").map((name) => name.trim()),
    ),
  );
  const missing = EXPORTS.filter((name) => !imported.has(name) && new RegExp(`\\b${name}\\b`).test(block.code));
  const header = missing.length ? `import { ${missing.join(", ")} } from "turkeysms-otp";\n` : "";
  return `${header}${block.code}\nexport {};\n`;
}

// build/consumer is made afresh by scripts/consumer.sh: the extracted files stay there to read.
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

test("the README is for users first: install and a quick start, then the two project commands under Develop", () => {
  const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(headings.slice(0, 3), ["Install", "Quick start", "Develop"]);
  assert.ok(readme.indexOf("npm install turkeysms-otp") < readme.indexOf("make test"));
  assert.match(readme, /## Develop\n\n```sh\nmake demo[^\n]*\nmake test/);
  const npmReadme = readFileSync(join(consumerDir, "node_modules/turkeysms-otp/README.md"), "utf8");
  assert.ok(
    !npmReadme.includes("## Develop") && !npmReadme.includes("make test\n"),
    "the npm README has no contributor commands",
  );
  assert.ok(npmReadme.includes("## Verify the code") && npmReadme.includes("npx turkeysms-sandbox"));
});

test("the README has code blocks, and some of them run", () => {
  assert.ok(blocks.length >= 8, `found ${blocks.length} blocks`);
  assert.ok(blocks.filter((b) => b.runnable).length >= 3, "at least three runnable blocks");
});

// Blocks that import an auth library compile with skipLibCheck, as its users must:
// better-auth's declarations reach for Bun's types (bun:sqlite), and @auth/core 0.41.3's import
// names its types.d.ts does not export and the types of optional peers (nodemailer,
// @simplewebauthn). The package's own blocks are checked without it.
test("every JS/TS block of the README compiles under tsc --strict --exactOptionalPropertyTypes", async () => {
  const groups = { own: [], libraries: [] };
  for (const block of blocks) {
    const file = `block-${String(block.index).padStart(2, "0")}-line-${block.line}.mts`;
    writeFileSync(join(dir, file), asModule(block));
    groups[/from "(better-auth|@auth\/core)/.test(block.code) ? "libraries" : "own"].push(file);
  }
  assert.ok(groups.libraries.length >= 2, "the better-auth and Auth.js blocks are compiled too");
  writeFileSync(join(dir, "given.d.ts"), GIVEN);
  for (const [group, files] of Object.entries(groups)) {
    const config = {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        lib: ["es2022", "dom"],
        types: ["node"],
        skipLibCheck: group === "libraries",
      },
      files: ["given.d.ts", ...files],
    };
    writeFileSync(join(dir, `tsconfig.${group}.json`), JSON.stringify(config));
    const { code, stdout, stderr } = await run("tsc", ["-p", join(dir, `tsconfig.${group}.json`)]);
    assert.equal(
      code,
      0,
      `tsc found errors in the README's blocks (file names carry the README line):\n${stdout}${stderr}`,
    );
  }
});

describe("the runnable blocks run against the sandbox", () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  for (const block of blocks.filter((b) => b.runnable)) {
    test(`README line ${block.line}`, async () => {
      const file = join(dir, `run-${block.index}.mjs`);
      // TurkeySMS's address and the sandbox's usual port both lead to this test's sandbox; the
      // given names get values a real program would have.
      const code = block.code.replaceAll("http://127.0.0.1:8910", sandbox.url);
      const prelude = [
        `const realFetch = globalThis.fetch;`,
        `globalThis.fetch = (url, init) => realFetch(String(url).replace("https://api.turkeysms.com.tr", ${JSON.stringify(sandbox.url)}), init);`,
        `const apiKey = "readme-key", mobile = "0532 123 45 67";`,
        `const showFieldError = (f, m) => console.log("field", f, m), alertOps = (m) => console.log("ops", m);`,
      ].join("\n");
      writeFileSync(file, `${asModule({ code: `${prelude}\n${code}` })}`);
      const result = await run("node", [file], { env: { TURKEYSMS_API_KEY: "readme-key" } });
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assert.ok(!/Error/.test(result.stderr), result.stderr);
    });
  }
});

// The forms block says it works in a page as in Node: it runs, as written, in Chromium too, with
// the import map of the Runtimes table, and its calls answer what its comments say.
test("the README's forms block (validateOptions, …) runs as written in a page", async () => {
  const block = blocks.find((b) => b.runnable && b.code.includes("validateOptions("));
  assert.ok(block, "the README has a runnable block with validateOptions");
  const page = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "turkeysms-otp": "/node_modules/turkeysms-otp/browser.js" } }</script>
<script type="module">
${block.code}
const { normalizeMobile: n, validateOptions: v, estimateSegments: e } = await import("turkeysms-otp");
window.report = { mobile: n("0532 123 45 67"), valid: v({ baseUrl: "https://shop.example/api", mobile: "12" }, "standard"), segments: e("Doğrulama kodunuz: TS-CODE") };
</script>`;
  writeFileSync(join(dir, "forms.html"), page);
  const site = await serveStatic({ mounts: { "/": consumerDir } });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (error) => errors.push(String(error)));
    await tab.goto(`${site.url}readme-blocks/forms.html`);
    const report = await tab.waitForFunction(() => window.report, null, { timeout: 20_000 }).then((h) => h.jsonValue());
    assert.deepEqual(errors, []);
    assert.equal(report.mobile, "905321234567");
    assert.equal(report.valid.ok, false);
    assert.deepEqual(
      report.valid.issues.map((issue) => [issue.field, issue.code]),
      [["mobile", "INVALID_MOBILE"]],
    );
    assert.deepEqual(report.segments, { encoding: "UCS-2", characters: 25, segments: 1 });
  } finally {
    await browser.close();
    await site.close();
  }
});

// A backend developer finds every option of the handler in one table, baseUrl first, each marked
// HTTP exactly when the service refuses it: the table is held to the option rows themselves.
test("the README's option table names every option of createOtpHandler, baseUrl first, HTTP ones marked", async () => {
  const { __options, __verifyOptions } = await import("turkeysms-otp");
  const start = readme.indexOf("## Every option of createOtpHandler and createOtpService");
  assert.ok(start > 0, "the README has the section");
  const table = readme.slice(start, readme.indexOf("\n\n", readme.indexOf("| option |", start)));
  const rows = [...table.matchAll(/^\| `(\w+)`( \(HTTP\))? \|/gm)].map((m) => ({ name: m[1], http: Boolean(m[2]) }));
  assert.equal(rows[0]?.name, "baseUrl", "baseUrl comes first");
  assert.deepEqual(rows.map((r) => r.name).sort(), Object.keys(__options).sort());
  for (const { name, http } of rows)
    assert.equal(http, Boolean(__options[name].http), `${name} is marked HTTP iff it is`);
  const verifyRow = table.split("\n").find((line) => line.startsWith("| `verify` |"));
  for (const name of Object.keys(__verifyOptions)) assert.ok(verifyRow.includes(name), `the verify row names ${name}`);
});
