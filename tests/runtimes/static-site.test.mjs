// A page served from anywhere: the README's recipe (the five files turkeysms-otp-static copies
// from the installed package) in a temporary folder with no node_modules above it, served as
// Workers static assets by `wrangler dev` beside examples/static-site's handler under /api, and by
// a plain file server that sends the .wasm with a generic type. Its page sends and verifies a code
// in Chromium, and loads nothing but the recipe's files and /api.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createOtpHandler, verifyOtpToken } from "turkeysms-otp";
import { serveStatic } from "../../scripts/static-server.mjs";
import { launchChromium } from "../chromium.mjs";
import { inboxOf, startSandbox, uniqueMobile } from "../js/helpers.mjs";
import { consumerDir, run, wranglerDev } from "./processes.mjs";

/** The recipe: what a page needs of the package, and all of it (the README lists the same). */
const RECIPE = ["api.js", "browser.js", "glue.js", "instance.js", "turkeysms_otp.wasm"];
const packageDir = join(consumerDir, "node_modules/turkeysms-otp");
const example = join(consumerDir, "examples/static-site");
const otpSecret = "static-site-OTP-SECRET-0123456789abcdef";
let sandbox, site, copied, browser;

before(async () => {
  sandbox = await startSandbox();
  // Outside the repository: no node_modules in the folder or any folder above it.
  site = mkdtempSync(join(tmpdir(), "turkeysms-static-site-"));
  copied = await run(join(consumerDir, "node_modules/.bin/turkeysms-otp-static"), [join(site, "turkeysms-otp")]);
  copyFileSync(join(example, "public/index.html"), join(site, "index.html"));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sandbox?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

/** Every folder from `dir` up to the root. */
function selfAndAncestors(dir) {
  const all = [dir];
  while (dirname(all.at(-1)) !== all.at(-1)) all.push(dirname(all.at(-1)));
  return all;
}

describe("the static-site recipe", () => {
  test("turkeysms-otp-static copies exactly the recipe's files, as the installed package has them", () => {
    assert.equal(copied.code, 0, copied.stdout + copied.stderr);
    assert.match(copied.stdout, /a page in .* imports "\.\/turkeysms-otp\/browser\.js"/);
    assert.deepEqual(readdirSync(site).sort(), ["index.html", "turkeysms-otp"]);
    assert.deepEqual(readdirSync(join(site, "turkeysms-otp")).sort(), RECIPE);
    for (const file of RECIPE) {
      assert.ok(
        readFileSync(join(site, "turkeysms-otp", file)).equals(readFileSync(join(packageDir, file))),
        `${file} is the installed package's`,
      );
    }
    for (const dir of selfAndAncestors(site)) assert.ok(!existsSync(join(dir, "node_modules")), `${dir}/node_modules`);
  });

  test("every import among the copied files is relative and names a file of the recipe", () => {
    let imports = 0;
    for (const file of RECIPE.filter((f) => f.endsWith(".js"))) {
      const text = readFileSync(join(site, "turkeysms-otp", file), "utf8");
      for (const [, specifier] of text.matchAll(/\b(?:from|import)\s*["']([^"']+)["']/g)) {
        imports += 1;
        assert.ok(RECIPE.map((f) => `./${f}`).includes(specifier), `${file} imports ${specifier}`);
      }
    }
    assert.ok(imports >= 3, `found ${imports} imports`);
    assert.match(
      readFileSync(join(site, "turkeysms-otp/browser.js"), "utf8"),
      /"\.\/turkeysms_otp\.wasm",import\.meta\.url/,
    );
  });

  test("the installed README's 'A page served from anywhere' names the recipe's files, its command and its import", () => {
    const readme = readFileSync(join(packageDir, "README.md"), "utf8");
    const section = readme.split("## A page served from anywhere\n")[1]?.split("\n## ")[0] ?? "";
    const named = new Set(section.match(/\b[a-z_]+\.(?:js|wasm)\b/g));
    named.delete("index.js"); // the Worker's main, in the wrangler.toml lines
    assert.deepEqual([...named].sort(), RECIPE);
    assert.match(section, /npx -p turkeysms-otp turkeysms-otp-static public\/turkeysms-otp\n/);
    assert.match(section, /import \{ sendOtp, verifyOtp \} from "\.\/turkeysms-otp\/browser\.js";/);
    assert.match(section, /\[assets\]\ndirectory = "\.\/public"/);
  });

  test("turkeysms-otp-static without a folder prints its usage and fails", async () => {
    const { code, stderr } = await run(join(consumerDir, "node_modules/.bin/turkeysms-otp-static"), []);
    assert.equal(code, 2);
    assert.match(stderr, /^usage: turkeysms-otp-static <folder>/);
  });

  test("the page, served as Workers static assets beside the handler, sends and verifies; it loads the recipe's files and /api only", async () => {
    const worker = await wranglerDev(
      example,
      { TURKEYSMS_BASE_URL: sandbox.url, TURKEYSMS_API_KEY: "static-site-SECRET", OTP_SECRET: otpSecret },
      ["--assets", site],
    );
    try {
      const { wasmType } = await sendAndVerify(worker.url, worker.output);
      assert.equal(wasmType, "application/wasm", "Workers static assets give compileStreaming the type it needs");
    } finally {
      await worker.stop();
    }
  });

  test("the same folder on a plain file server that sends the .wasm as application/octet-stream: the page still sends and verifies", async () => {
    const handle = createOtpHandler({
      apiKey: "static-site-SECRET",
      baseUrl: sandbox.url,
      prefix: "/api",
      verify: { secret: otpSecret },
    });
    const wasm = join(site, "turkeysms-otp/turkeysms_otp.wasm");
    const server = await serveStatic({
      mounts: { "/": site },
      routes: { "/turkeysms-otp/turkeysms_otp.wasm": () => ["application/octet-stream", readFileSync(wasm)] },
      handlers: { "/api/": handle },
    });
    try {
      const { wasmType } = await sendAndVerify(server.url.replace(/\/$/, ""), () => "");
      assert.equal(wasmType, "application/octet-stream");
    } finally {
      await server.close();
    }
  });
});

/**
 * Opens the page at `origin`, sends a code and verifies it through the form, and checks what the
 * page requested: its own origin only, the recipe's files and the two /api routes, each answered
 * 200, no key or secret, no error. Resolves to the Content-Type the .wasm was served with.
 */
async function sendAndVerify(origin, output) {
  const page = await browser.newPage();
  const requests = [];
  const failures = [];
  const errors = [];
  page.on("request", (r) => requests.push({ url: r.url(), body: r.postData() ?? "" }));
  page.on("response", (r) => r.status() !== 200 && failures.push(`${r.status()} ${r.url()}`));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  /** Waits for a step's answer; if none comes, says what the page failed to load. */
  const answered = (step) =>
    page
      .waitForSelector(`#out[data-done=${step}]`, { timeout: 20_000 })
      .catch((e) => assert.fail(`${e.message}\nnot 200: ${failures.join(", ")}\nerrors: ${errors.join(", ")}`));
  const mobile = uniqueMobile();
  try {
    await page.goto(`${origin}/`);
    await page.fill("#mobile", `0${mobile.slice(2)}`);
    await page.click("#send button");
    await answered("send");
    assert.equal(await page.textContent("#out"), `Code sent to +${mobile} (TS-1024)`, output());
    const [sms, ...more] = await inboxOf(sandbox, mobile);
    assert.deepEqual(more, [], "one SMS");

    await page.fill("#code", sms.code);
    const answer = page.waitForResponse((r) => r.url() === `${origin}/api/otp/verify`);
    await page.click("#verify button");
    const { token } = await (await answer).json();
    await answered("verify");
    assert.equal(await page.textContent("#out"), `Verified +${mobile}`, output());
    assert.equal((await verifyOtpToken(token, { secret: otpSecret })).mobile, mobile);

    // What the page asked for (before the check below fetches the .wasm once more).
    const asked = [...requests];
    assert.deepEqual(
      asked.filter((r) => !r.url.startsWith(`${origin}/`)),
      [],
      "the page talks to its own origin only",
    );
    assert.deepEqual(
      [...new Set(asked.map((r) => new URL(r.url).pathname))].sort(),
      ["/", "/api/otp/send", "/api/otp/verify", ...RECIPE.map((f) => `/turkeysms-otp/${f}`)].sort(),
      "every file of the recipe, and nothing else",
    );
    assert.ok(
      asked.every((r) => !(r.url + r.body).includes("SECRET")),
      "neither the key nor the secret passed through the page",
    );
    assert.deepEqual(failures, []);
    assert.deepEqual(errors, []);
    const wasmType = await page.evaluate(async () =>
      (await fetch("/turkeysms-otp/turkeysms_otp.wasm")).headers.get("content-type"),
    );
    return { wasmType };
  } finally {
    await page.close();
  }
}
