// The README's code cannot rot: every ```js and ```ts block is extracted and compiled by
// `tsc --strict --exactOptionalPropertyTypes` against the installed package's types, and the
// blocks marked ```js run are run by Node against the sandbox. Names a snippet leaves to the
// reader (a form, a Worker's env) are declared once below, with the types a real program has.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
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

test("every JS/TS block of the README compiles under tsc --strict --exactOptionalPropertyTypes", async () => {
  const files = { checked: [], authjs: [] };
  for (const block of blocks) {
    const file = `block-${String(block.index).padStart(2, "0")}-line-${block.line}.mts`;
    writeFileSync(join(dir, file), asModule(block));
    // @auth/core 0.41.3's published .d.ts do not compile themselves (they import names its
    // types.d.ts does not export, and the types of optional peers: nodemailer, @simplewebauthn):
    // a block that imports it is checked against them with skipLibCheck, in a run of its own.
    files[/from "@auth\/core/.test(block.code) ? "authjs" : "checked"].push(file);
  }
  writeFileSync(join(dir, "given.d.ts"), GIVEN);
  const compile = async (name, list, skipLibCheck) => {
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
        skipLibCheck,
      },
      files: ["given.d.ts", ...list],
    };
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(config));
    const { code, stdout, stderr } = await run("tsc", ["-p", join(dir, `${name}.json`)]);
    assert.equal(
      code,
      0,
      `tsc found errors in the README's blocks (file names carry the README line):\n${stdout}${stderr}`,
    );
  };
  await Promise.all([
    compile("tsconfig", files.checked, false),
    files.authjs.length && compile("tsconfig.authjs", files.authjs, true),
  ]);
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
